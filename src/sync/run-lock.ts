import type { QueryRunner } from 'typeorm';
import type { Database } from '../db/data-source';

// Any constant shared by every replica; distinct from the migration lock.
const SYNC_LOCK_KEY = 727_002;

/** "At most one sync anywhere": held for the whole run, gone when its holder dies. */
export interface RunLock {
  tryAcquire(): Promise<boolean>;
  release(): Promise<void>;
}

/**
 * PostgreSQL: a session advisory lock on a connection kept for the run. If the process dies the
 * server drops the session and the lock with it, which is how a stale `running` row is recognised.
 */
class AdvisoryRunLock implements RunLock {
  private runner: QueryRunner | undefined;

  constructor(private readonly db: Database) {}

  async tryAcquire(): Promise<boolean> {
    const runner = this.db.dataSource.createQueryRunner();
    await runner.connect();
    const [row]: { locked: boolean }[] = await runner.query('select pg_try_advisory_lock($1) as locked', [SYNC_LOCK_KEY]);
    if (!row.locked) {
      await runner.release();
      return false;
    }
    this.runner = runner;
    return true;
  }

  async release(): Promise<void> {
    const runner = this.runner;
    this.runner = undefined;
    if (!runner) return;
    try {
      await runner.query('select pg_advisory_unlock($1)', [SYNC_LOCK_KEY]);
    } finally {
      await runner.release();
    }
  }
}

// PGlite: one process owns the data directory (see data-dir-lock.ts) and its single connection
// cannot be held for a run, so the lock is in memory, one per database.
const heldInProcess = new WeakSet<Database>();

class InProcessRunLock implements RunLock {
  private held = false;

  constructor(private readonly db: Database) {}

  async tryAcquire(): Promise<boolean> {
    if (heldInProcess.has(this.db)) return false;
    heldInProcess.add(this.db);
    this.held = true;
    return true;
  }

  async release(): Promise<void> {
    if (this.held) heldInProcess.delete(this.db);
    this.held = false;
  }
}

export function createRunLock(db: Database): RunLock {
  return db.kind === 'postgres' ? new AdvisoryRunLock(db) : new InProcessRunLock(db);
}
