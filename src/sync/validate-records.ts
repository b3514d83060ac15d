import { isValidCalendlyTimestamp } from './calendly-timestamp';

export type RejectionReason = 'missing_email' | 'invalid_start_time' | 'invalid_status';

const EVENT_STATUSES = new Set(['active', 'canceled']);

/** Why a scheduled event is refused (metrics.md §5), or `null` when it is acceptable. */
export function eventRejection(event: { start_time?: unknown; status?: unknown }): RejectionReason | null {
  if (!isValidCalendlyTimestamp(event.start_time)) return 'invalid_start_time';
  if (typeof event.status !== 'string' || !EVENT_STATUSES.has(event.status)) return 'invalid_status';
  return null;
}

/** Why an invitee is refused: its event's reason first (it is refused with its event), then a missing email. */
export function inviteeRejection(invitee: { email?: unknown }, eventReason: RejectionReason | null): RejectionReason | null {
  if (eventReason) return eventReason;
  if (typeof invitee.email !== 'string' || invitee.email.trim() === '') return 'missing_email';
  return null;
}
