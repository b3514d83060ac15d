import { Writable } from 'node:stream';
import pino from 'pino';
import type { SyncRun } from '../../../entities';
import type { CalendlyInvitee, CalendlyScheduledEvent } from '../../../src/calendly/calendly.types';
import { loadConfig } from '../../../src/config/config';
import type { Database } from '../../../src/db/data-source';
import type { Simulator } from '../../../src/simulator/simulator.server';
import { SyncCoordinator, type SyncCoordinatorDeps } from '../../../src/sync/sync-coordinator';
import { isValidCalendlyTimestamp } from '../../../src/sync/calendly-timestamp';
import { eventRejection, inviteeRejection } from '../../../src/sync/validate-records';

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

export const DAY = 86_400_000;

/** What the sync should have kept and refused, computed straight from what the simulator serves. */
export function expectedFrom(simulator: Simulator, lookbackDays = 90, lookaheadDays = 90) {
  const start = NOW.getTime() - lookbackDays * DAY;
  const end = NOW.getTime() + lookaheadDays * DAY;
  const inWindow = (event: CalendlyScheduledEvent) => {
    // Events with an invalid start_time are still served (the filter cannot place them), so they are refused.
    if (!isValidCalendlyTimestamp(event.start_time)) return true;
    const t = Date.parse(event.start_time);
    return t >= start && t < end;
  };
  const events = simulator.dataset.events.filter(inWindow);
  const acceptedEvents: CalendlyScheduledEvent[] = [];
  const acceptedInvitees: CalendlyInvitee[] = [];
  const rejected: { uri: string; reason: string }[] = [];
  for (const event of events) {
    const eventReason = eventRejection(event);
    if (eventReason) rejected.push({ uri: event.uri, reason: eventReason });
    else acceptedEvents.push(event);
    for (const invitee of simulator.dataset.inviteesByEvent.get(event.uri) ?? []) {
      const reason = inviteeRejection(invitee, eventReason);
      if (reason) rejected.push({ uri: invitee.uri, reason });
      else acceptedInvitees.push(invitee);
    }
  }
  return { events, acceptedEvents, acceptedInvitees, rejected };
}
