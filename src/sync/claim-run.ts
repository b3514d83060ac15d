import { setTimeout as sleep } from 'node:timers/promises';
import { SyncRun, SyncRunStatus, type SyncTrigger } from '../../entities';
import type { Database } from '../db/data-source';
import { createRunLock, type RunLock } from './run-lock';
import { SyncError } from './sync.error';
import type { SyncWindow } from './sync-window';

export type Claim =
  | { claimed: true; run: SyncRun; lock: RunLock }
  | { claimed: false; run: SyncRun };

const CLAIM_ATTEMPTS = 50;
const CLAIM_RETRY_MS = 100;
const STALE_RUN_ERROR = 'the process running this sync stopped before it finished (its lock was released)';

/** Marks `running` rows as failed; only call while holding the run lock, when no live run can exist. */
async function failStaleRuns(db: Database): Promise<number> {
  // Wrapped in a select: TypeORM reports an UPDATE as [rows, count], a SELECT as plain rows.
  const [{ failed }]: { failed: number }[] = await db.dataSource.query(
    `with stale as (
         update sync_runs set status = 'failed', finished_at = now(), error = $1
         where status = 'running' returning id
     )
     select count(*)::int as failed from stale`, [STALE_RUN_ERROR]);
  return failed;
}

async function findRunningRun(db: Database): Promise<SyncRun | null> {
  return db.dataSource.getRepository(SyncRun).findOneBy({ status: SyncRunStatus.RUNNING });
}

/**
 * The single-run guard shared by the schedule, the API and the CLI. The winner holds the lock
 * and gets a new `running` row; a loser gets the run already under way (in any process).
 */
export async function claimRun(db: Database, trigger: SyncTrigger, window: SyncWindow): Promise<Claim> {
  const lock = createRunLock(db);
  // The holder inserts its row right after taking the lock, and may finish before we look:
  // so either its row appears or the lock comes free, within a few rounds.
  for (let attempt = 0; !(await lock.tryAcquire()); attempt += 1) {
    const running = await findRunningRun(db);
    if (running) return { claimed: false, run: running };
    if (attempt >= CLAIM_ATTEMPTS) {
      throw new SyncError('SYNC_ALREADY_RUNNING', 'another sync holds the run lock but has no running row');
    }
    await sleep(CLAIM_RETRY_MS);
  }
  return insertRun(db, lock, trigger, window);
}

async function insertRun(db: Database, lock: RunLock, trigger: SyncTrigger, window: SyncWindow): Promise<Claim> {
  try {
    await failStaleRuns(db);
    const repository = db.dataSource.getRepository(SyncRun);
    const inserted = await repository.insert({
      trigger,
      status: SyncRunStatus.RUNNING,
      asOf: window.asOf,
      windowStart: window.windowStart,
      windowEnd: window.windowEnd,
      startedAt: new Date(),
      eventsProcessed: 0,
      inviteesProcessed: 0,
      recordsRejected: 0,
    });
    const run = await repository.findOneByOrFail({ id: inserted.identifiers[0].id as number });
    return { claimed: true, run, lock };
  } catch (error) {
    await lock.release();
    throw error;
  }
}

/** Fails runs left `running` by a process that died; a no-op while a live run holds the lock. */
export async function recoverStaleRuns(db: Database): Promise<number> {
  const lock = createRunLock(db);
  if (!(await lock.tryAcquire())) return 0;
  try {
    return await failStaleRuns(db);
  } finally {
    await lock.release();
  }
}
