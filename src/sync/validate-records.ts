import type { RejectedRecord, RejectionReason } from '../db/queries/insert-rejected-records';
import { isValidCalendlyTimestamp } from './calendly-timestamp';

export type { RejectionReason };

const EVENT_STATUSES = new Set(['active', 'canceled']);

// A uri keys a landing row (a btree entry, at most ~2.7 KB) and addresses the invitee read, so a
// usable one is printable (no whitespace, control character or lone surrogate: a URI has none),
// short enough to index at 4 bytes a character, and has a last path segment (the uuid).
const USABLE_URI = /^[^\s\p{Cc}\p{Cs}]{1,500}$/u;
const HAS_PATH_SEGMENT = /[^/]/;

// RFC 5321 caps an address at 254 characters; the customer key is indexed, so this also keeps
// it far below the btree limit.
const MAX_EMAIL_LENGTH = 254;

/** The record's uri when it can key a row and address a read, else `null` (metrics.md §5 missing_uri). */
export function usableUri(record: { uri?: unknown }): string | null {
  const { uri } = record;
  return typeof uri === 'string' && USABLE_URI.test(uri) && HAS_PATH_SEGMENT.test(uri) ? uri : null;
}

/**
 * Whether `value` is an email the sync can key a customer by: after JavaScript's trim (the trim
 * set of the SQL function calendly_customer_key) at most 254 characters and holding an `@`;
 * `missing` when it is absent, not a string, or blank.
 */
export function emailCheck(value: unknown): 'valid' | 'invalid' | 'missing' {
  if (typeof value !== 'string') return 'missing';
  const trimmed = value.trim();
  if (trimmed === '') return 'missing';
  // Characters, not UTF-16 units; counted only when the units alone could exceed the cap.
  const tooLong = trimmed.length > MAX_EMAIL_LENGTH && [...trimmed].length > MAX_EMAIL_LENGTH;
  return tooLong || !trimmed.includes('@') ? 'invalid' : 'valid';
}

/** Why a scheduled event is refused (metrics.md §5), or `null` when it is acceptable. */
export function eventRejection(event: { uri?: unknown; start_time?: unknown; status?: unknown }): RejectionReason | null {
  // First: without a uri its invitees cannot even be read.
  if (usableUri(event) === null) return 'missing_uri';
  if (!isValidCalendlyTimestamp(event.start_time)) return 'invalid_start_time';
  if (typeof event.status !== 'string' || !EVENT_STATUSES.has(event.status)) return 'invalid_status';
  return null;
}

/** Why an invitee is refused: its event's reason first (it is refused with its event), then its own. */
export function inviteeRejection(invitee: { uri?: unknown; email?: unknown }, eventReason: RejectionReason | null): RejectionReason | null {
  if (eventReason) return eventReason;
  if (usableUri(invitee) === null) return 'missing_uri';
  const email = emailCheck(invitee.email);
  if (email === 'missing') return 'missing_email';
  if (email === 'invalid') return 'invalid_email';
  return null;
}

/** A refused record as it is kept (metrics.md §5): its uri when usable, the reason, the raw payload. */
export function refusal(recordType: RejectedRecord['recordType'], record: { uri?: unknown }, reason: RejectionReason): RejectedRecord {
  return { recordType, uri: usableUri(record), reason, raw: record };
}
