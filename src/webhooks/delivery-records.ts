import type { CalendlyInvitee, CalendlyScheduledEvent } from '../calendly/calendly.types';
import type { RejectedRecord } from '../db/queries/insert-rejected-records';
import { toEventRow, toInviteeRow, type EventRow, type InviteeRow } from '../sync/staging-rows';
import { eventRejection, inviteeRejection, refusal, usableUri } from '../sync/validate-records';

/** What one delivery lands in staging and what it refuses, by the rules a polled record meets. */
export interface DeliveryRecords {
  events: EventRow[];
  invitees: InviteeRow[];
  rejected: RejectedRecord[];
}

type Json = Record<string, unknown>;

/**
 * Validates and maps a delivered invitee, and its scheduled event when the delivery carries it,
 * through the same validator and row mapper as a polled record (metrics.md §5): a refused event
 * refuses its invitee with it. Without the event, the invitee lands under the event its `event`
 * field names, which a sync staged (or will).
 */
export function deliveryRecords(invitee: Json, scheduledEvent: Json | null): DeliveryRecords {
  const records: DeliveryRecords = { events: [], invitees: [], rejected: [] };
  let eventReason = null;
  let eventUri: string | null;
  if (scheduledEvent) {
    eventReason = eventRejection(scheduledEvent);
    eventUri = usableUri(scheduledEvent);
    if (eventReason) records.rejected.push(refusal('scheduled_event', scheduledEvent, eventReason));
    else records.events.push(toEventRow(scheduledEvent as unknown as CalendlyScheduledEvent & { status: string; start_time: string }));
  } else {
    eventUri = usableUri({ uri: invitee.event });
  }
  const reason = inviteeRejection(invitee, eventReason) ?? (eventUri === null ? 'missing_uri' : null);
  if (reason) records.rejected.push(refusal('invitee', invitee, reason));
  else records.invitees.push(toInviteeRow(invitee as unknown as CalendlyInvitee & { email: string }, eventUri as string));
  return records;
}
