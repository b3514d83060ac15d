import { Writable } from 'node:stream';
import pino from 'pino';
import type { SyncRun } from '../../../entities';
import { loadConfig } from '../../../src/config/config';
import type { Database } from '../../../src/db/data-source';
import type { Simulator } from '../../../src/simulator/simulator.server';
import { SyncCoordinator } from '../../../src/sync/sync-coordinator';

export const NOW = new Date('2026-03-01T12:00:00.000Z');

/** A coordinator wired to the simulator with test-friendly limits; logs are kept in memory. */
export function coordinatorFor(db: Database, simulator: Simulator, env: Record<string, string> = {}) {
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
  const coordinator = new SyncCoordinator({ db, config, logger, calendly: { baseUrl: simulator.url, apiKey: simulator.apiKey } });
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
