import type { CalendlyCancellation, CalendlyScheduledEvent } from '../../src/calendly/calendly.types';
import { formatCalendlyTime } from '../../src/simulator/calendly-time';

let eventCounter = 0;

export const FACTORY_HOST = {
  user: 'https://api.calendly.com/users/HOSTFACTORY00001',
  user_email: 'maya.lindqvist@acme-success.com',
  user_name: 'Maya Lindqvist',
} as const;

/** A deterministic, unique Calendly-looking uuid: `<prefix>` padded with the counter to 16 characters. */
export function factoryUuid(prefix: string, n: number): string {
  return `${prefix}${String(n).padStart(16 - prefix.length, '0')}`;
}

/**
 * A complete `GET /scheduled_events` item: one-on-one, active, 30 minutes on 2026-03-02 15:00 UTC by default.
 * `end_time`, memberships' buffered times and (for `status: 'canceled'`) `cancellation` follow the overrides
 * unless given explicitly. An override set to `undefined` removes the key (e.g. a missing `status`).
 */
export function buildScheduledEvent(overrides: Partial<CalendlyScheduledEvent> = {}): CalendlyScheduledEvent {
  eventCounter += 1;
  const uuid = factoryUuid('EVT', eventCounter);
  const startMs = Date.parse(typeof overrides.start_time === 'string' ? overrides.start_time : '') || Date.parse('2026-03-02T15:00:00Z');
  const start = typeof overrides.start_time === 'string' ? overrides.start_time : formatCalendlyTime(startMs);
  const end = overrides.end_time ?? formatCalendlyTime(startMs + 30 * 60_000);
  const created = overrides.created_at ?? formatCalendlyTime(startMs - 7 * 24 * 3600_000);
  const event: CalendlyScheduledEvent = {
    uri: `https://api.calendly.com/scheduled_events/${uuid}`,
    name: '30 Minute Meeting',
    meeting_notes_plain: null,
    meeting_notes_html: null,
    status: 'active',
    start_time: start,
    end_time: end,
    event_type: 'https://api.calendly.com/event_types/ETFACTORY0000001',
    location: { type: 'google_conference', status: 'pushed', join_url: `https://meet.google.com/${uuid.toLowerCase()}` },
    invitees_counter: { total: 1, active: overrides.status === 'canceled' ? 0 : 1, limit: 1 },
    created_at: created,
    updated_at: overrides.updated_at ?? created,
    event_memberships: [{ ...FACTORY_HOST, buffered_start_time: start, buffered_end_time: end }],
    event_guests: [],
    calendar_event: { kind: 'google', external_id: uuid.toLowerCase() },
  };
  if (overrides.status === 'canceled' && !('cancellation' in overrides)) event.cancellation = buildCancellation({ created_at: event.updated_at });
  for (const [key, value] of Object.entries(overrides)) {
    if (value === undefined) delete (event as unknown as Record<string, unknown>)[key];
    else (event as unknown as Record<string, unknown>)[key] = value;
  }
  return event;
}

export function buildCancellation(overrides: Partial<CalendlyCancellation> = {}): CalendlyCancellation {
  return {
    canceled_by: FACTORY_HOST.user_name,
    reason: 'Host had a conflict',
    canceler_type: 'host',
    created_at: '2026-02-27T09:00:00.000000Z',
    ...overrides,
  };
}

/** A host membership for `event_memberships`, e.g. to change the organizer. */
export function buildMembership(user: { name: string; email: string; uri?: string }, start = '2026-03-02T15:00:00.000000Z', end = '2026-03-02T15:30:00.000000Z') {
  return {
    user: user.uri ?? `https://api.calendly.com/users/${factoryUuid('USR', ++eventCounter)}`,
    user_email: user.email,
    user_name: user.name,
    buffered_start_time: start,
    buffered_end_time: end,
  };
}
