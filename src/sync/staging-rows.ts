import { uuidOf } from '../calendly/calendly-client';
import type { CalendlyInvitee, CalendlyScheduledEvent } from '../calendly/calendly.types';
import { isValidCalendlyTimestamp } from './calendly-timestamp';
import { emailCheck } from './validate-records';
import type { EventRow, InviteeRow } from '../db/queries/landing-rows';

export type { EventRow, InviteeRow };

// API payload → typed landing-table row. Every timestamp goes through the one validity check,
// so the SQL casts never meet a string Postgres would refuse. A field of an unexpected type is
// read as absent (metrics.md §5).

type Json = Record<string, unknown>;

function text(value: unknown): string | null {
  return typeof value === 'string' ? value : null;
}

function timestamp(value: unknown): string | null {
  return isValidCalendlyTimestamp(value) ? value : null;
}

function isObject(value: unknown): value is Json {
  return value !== null && typeof value === 'object' && !Array.isArray(value);
}

function object(value: unknown): Json {
  return isObject(value) ? value : {};
}

// The landing column is a Postgres integer.
function int32(value: unknown): number | null {
  return Number.isInteger(value) && Math.abs(value as number) <= 2 ** 31 - 1 ? (value as number) : null;
}

// The organizer's email ends up in unified_customers.assigned_am_email, which is indexed.
function email(value: unknown): string | null {
  return emailCheck(value) === 'valid' ? (value as string) : null;
}

// A copy without a usable updated_at loses to any copy that has one.
const NEVER_UPDATED = '-infinity';

/** Maps a validated scheduled event (valid start_time and status) to its landing row. */
export function toEventRow(validated: CalendlyScheduledEvent & { status: string; start_time: string }): EventRow {
  // Read defensively: the payload is only as typed as Calendly keeps it.
  const event = validated as unknown as Json & typeof validated;
  const memberships = Array.isArray(event.event_memberships) ? event.event_memberships : [];
  const organizer = object(memberships[0]);
  const counter = object(event.invitees_counter);
  return {
    uri: event.uri,
    uuid: uuidOf(event.uri),
    name: text(event.name),
    status: event.status,
    start_time: event.start_time,
    end_time: timestamp(event.end_time),
    event_type_uri: text(event.event_type),
    organizer_user_uri: text(organizer.user),
    organizer_email: email(organizer.user_email),
    organizer_name: text(organizer.user_name),
    invitees_total: int32(counter.total),
    invitees_active: int32(counter.active),
    canceled_at: timestamp(object(event.cancellation).created_at),
    created_at: timestamp(event.created_at),
    updated_at: timestamp(event.updated_at) ?? NEVER_UPDATED,
    raw: event,
  };
}

/** Maps a validated invitee (it has an email) to its landing row, under the event it was fetched for. */
export function toInviteeRow(validated: CalendlyInvitee & { email: string }, eventUri: string): InviteeRow {
  const invitee = validated as unknown as Json & typeof validated;
  // In the API a mark is an object {uri, created_at}; false, true, a string or a list is none.
  const noShow = isObject(invitee.no_show) ? invitee.no_show : null;
  return {
    uri: invitee.uri,
    event_uri: eventUri,
    email: invitee.email,
    name: text(invitee.name),
    status: invitee.status === 'canceled' ? 'canceled' : 'active',
    is_rescheduled: invitee.rescheduled === true,
    old_invitee_uri: text(invitee.old_invitee),
    new_invitee_uri: text(invitee.new_invitee),
    // A mark is an object; keep its uri, or a placeholder if Calendly ever sends one without.
    no_show_uri: noShow ? (text(noShow.uri) ?? 'marked') : null,
    no_show_marked_at: noShow ? timestamp(noShow.created_at) : null,
    canceled_at: timestamp(object(invitee.cancellation).created_at),
    created_at: timestamp(invitee.created_at),
    updated_at: timestamp(invitee.updated_at) ?? NEVER_UPDATED,
    raw: invitee,
  };
}
