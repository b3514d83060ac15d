import { Writable } from 'node:stream';
import pino from 'pino';
import type { SyncRun } from '../../../entities';
import type { CalendlyInvitee, CalendlyScheduledEvent } from '../../../src/calendly/calendly.types';
import { loadConfig } from '../../../src/config/config';
import type { Database } from '../../../src/db/data-source';
import type { Simulator } from '../../../src/simulator/simulator.server';
import { SyncCoordinator, type SyncCoordinatorDeps } from '../../../src/sync/sync-coordinator';

export const NOW = new Date('2026-03-01T12:00:00.000Z');

/** A coordinator wired to the simulator with test-friendly limits; logs are kept in memory. */
export function coordinatorFor(
  db: Database,
  simulator: Simulator,
  env: Record<string, string> = {},
  deps: Pick<SyncCoordinatorDeps, 'lease'> = {},
) {
  const lines: string[] = [];
  const logger = pino({ level: 'debug' }, new Writable({
    write(chunk, _encoding, done) {
      lines.push(String(chunk));
      done();
    },
  }));
  const config = loadConfig({
    CALENDLY_RATE_LIMIT_PER_MINUTE: '600000', CALENDLY_CONCURRENCY: '8', CALENDLY_MAX_RETRIES: '1', ...env,
  });
  const coordinator = new SyncCoordinator({ db, config, logger, calendly: { baseUrl: simulator.url, apiKey: simulator.apiKey }, ...deps });
  return { coordinator, logs: () => lines.join('') };
}

/** Runs one sync to its end at `asOf`. */
export async function syncOnce(coordinator: SyncCoordinator, asOf = NOW): Promise<SyncRun> {
  const started = await coordinator.start({ trigger: 'cli', asOf });
  return started.finished;
}

/** Every row of a table as JSON text, for before/after comparisons. */
export async function snapshot(db: Database, table: string, orderBy: string): Promise<string> {
  const rows = await db.dataSource.query(`select * from ${table} order by ${orderBy}`);
  return JSON.stringify(rows);
}

/** Staging and results together: what a failed or lost run must leave exactly as it was. */
export async function stagingAndResults(db: Database): Promise<string> {
  return [
    await snapshot(db, 'calendly_scheduled_events', 'uri'),
    await snapshot(db, 'calendly_event_invitees', 'uri'),
    await snapshot(db, 'unified_customers', 'email'),
    await snapshot(db, 'customer_alerts', 'id'),
  ].join('\n');
}

export const DAY = 86_400_000;

// The refusal rules of metrics.md §5, written here from the spec and not imported from src/sync/,
// so the expected figures are an oracle of their own: a bug in the sync's validators shows as a
// difference instead of moving the expectation with it.
const CALENDLY_INSTANT = /^(\d{4})-(\d\d)-(\d\d)T(\d\d):(\d\d):(\d\d)(\.\d{1,6})?(Z|[+-]\d\d:\d\d)$/;

/** An ISO-8601 timestamp with a zone whose date and time exist: Date.UTC rolls 30 February over to March. */
function isRealInstant(value: unknown): boolean {
  const match = typeof value === 'string' ? CALENDLY_INSTANT.exec(value) : null;
  if (!match) return false;
  const [year, month, day, hour, minute, second] = match.slice(1, 7).map(Number);
  const rolled = new Date(Date.UTC(year, month - 1, day, hour, minute, second));
  return rolled.getUTCMonth() === month - 1 && rolled.getUTCDate() === day && rolled.getUTCHours() === hour
    && rolled.getUTCMinutes() === minute && rolled.getUTCSeconds() === second;
}

const hasUri = (record: { uri?: unknown }) => typeof record.uri === 'string' && record.uri.trim() !== '';

function expectedEventReason(event: CalendlyScheduledEvent): string | null {
  if (!hasUri(event)) return 'missing_uri';
  if (!isRealInstant(event.start_time)) return 'invalid_start_time';
  if (event.status !== 'active' && event.status !== 'canceled') return 'invalid_status';
  return null;
}

function expectedInviteeReason(invitee: CalendlyInvitee, eventReason: string | null): string | null {
  if (eventReason) return eventReason;
  if (!hasUri(invitee)) return 'missing_uri';
  const email = typeof invitee.email === 'string' ? invitee.email.trim() : '';
  if (email === '') return 'missing_email';
  if ([...email].length > 254 || !email.includes('@')) return 'invalid_email';
  return null;
}

/** What the sync should have kept and refused, computed from what the simulator serves and the rules of metrics.md §5. */
export function expectedFrom(simulator: Simulator, lookbackDays = 90, lookaheadDays = 90) {
  const start = NOW.getTime() - lookbackDays * DAY;
  const end = NOW.getTime() + lookaheadDays * DAY;
  // Both ends included (metrics.md §1). The simulator places an event by the start it meant, also
  // when the start_time it serves is invalid.
  const events = simulator.dataset.sortedEntries().filter((entry) => entry.startMs >= start && entry.startMs <= end).map((entry) => entry.event);
  const acceptedEvents: CalendlyScheduledEvent[] = [];
  const acceptedInvitees: CalendlyInvitee[] = [];
  const rejected: { uri: string; reason: string }[] = [];
  for (const event of events) {
    const eventReason = expectedEventReason(event);
    if (eventReason) rejected.push({ uri: event.uri, reason: eventReason });
    else acceptedEvents.push(event);
    for (const invitee of simulator.dataset.inviteesByEvent.get(event.uri) ?? []) {
      const reason = expectedInviteeReason(invitee, eventReason);
      if (reason) rejected.push({ uri: invitee.uri, reason });
      else acceptedInvitees.push(invitee);
    }
  }
  return { events, acceptedEvents, acceptedInvitees, rejected };
}
