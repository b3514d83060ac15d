import { setTimeout as sleep } from 'node:timers/promises';
import type { Database } from '../db/data-source';
import { pendingMigrations } from '../db/migrate';

export interface Readiness {
  ready: boolean;
  reason?: string;
  pendingMigrations?: string[];
}

// PGlite has one connection: while a sync holds it, a probe waits; answer "not ready" instead of hanging.
const PROBE_TIMEOUT_MS = 3000;

/** Ready when the database answers `select 1` and every migration on disk is applied. */
export async function checkReadiness(db: Database): Promise<Readiness> {
  const probe = (async (): Promise<Readiness> => {
    await db.dataSource.query('select 1');
    const pending = await pendingMigrations(db.dataSource);
    return pending.length ? { ready: false, reason: 'migrations pending', pendingMigrations: pending } : { ready: true };
  })().catch((): Readiness => ({ ready: false, reason: 'database unavailable' }));
  const timeout = sleep(PROBE_TIMEOUT_MS, undefined, { ref: false }).then((): Readiness => ({ ready: false, reason: 'database did not answer in time' }));
  return Promise.race([probe, timeout]);
}
