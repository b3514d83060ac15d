import { randomBytes } from 'node:crypto';
import { hostname } from 'node:os';
import { SyncRun, SyncRunStatus, type SyncTrigger } from '../../entities';
import type { Database } from '../db/data-source';
import { inTransaction } from '../db/in-transaction';
import type { Queryable } from '../db/queryable';
import { SyncError } from './sync.error';
import type { SyncWindow } from './sync-window';

/**
 * "At most one sync anywhere" is the `running` row of sync_runs (sync_runs_one_running_idx keeps
 * it unique), held by a lease its owner renews. The schedule, the API and the CLI all claim here;
 * a run checks that it still holds its row where it matters: before it commits.
 */
export type Claim =
  | { claimed: true; run: SyncRun }
  | { claimed: false; run: SyncRun };

/** How long a claim lasts unless renewed, and how often its owner renews it. */
export interface LeaseTiming {
  leaseMs: number;
  renewEveryMs: number;
}

// Six renewals per lease: a database restart or a slow pool can miss a few without the run
// losing its claim, and a dead process's run is taken over within half a minute.
export const DEFAULT_LEASE_TIMING: LeaseTiming = { leaseMs: 30_000, renewEveryMs: 5_000 };

/** Names this process in the rows it claims, for logs and for the error of a run it abandons. */
export const PROCESS_OWNER = `${hostname()}:${process.pid}:${randomBytes(3).toString('hex')}`;

// Expiry is judged by the database clock only, so processes whose clocks disagree still agree.
// A row locked by another transaction belongs to an owner committing its run right now (see
// holdClaim): it is skipped, not waited for, and is found `succeeded` or `running` afterwards.
// $1 = every running row, whatever its lease (the embedded database at start-up).
const FAIL_ABANDONED_RUNS = `
with abandoned as (
    update sync_runs set
        status = 'failed',
        finished_at = now(),
        error = case
            when $1 then 'the process running this sync stopped before it finished (the embedded database was reopened)'
            else format('the process running this sync (%s) stopped renewing its claim: the lease expired at %s',
                coalesce(owner, 'unknown'), to_char(lease_expires_at at time zone 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.MS"Z"'))
        end
    where id in (
        select id from sync_runs
        where status = 'running' and ($1 or lease_expires_at < now())
        for update skip locked
    )
    returning id
)
select count(*)::int as failed from abandoned`;

const INSERT_RUN = `
insert into sync_runs (trigger, status, as_of, window_start, window_end, owner, lease_expires_at)
values ($1, 'running', $2, $3, $4, $5, now() + $6::integer * interval '1 millisecond')
on conflict ((true)) where status = 'running' do nothing
returning id`;

// Scratch rows of every run that is not running: a run that failed without cleaning up (its
// connection or process died). A live run's rows are kept; ours has none yet.
const DELETE_ORPHAN_SCRATCH = ['calendly_incoming_events', 'calendly_incoming_invitees'].map((table) => `
delete from ${table} as scratch
where not exists (select 1 from sync_runs as r where r.id = scratch.last_seen_run_id and r.status = 'running')`);

const RENEW_CLAIM = `
with renewed as (
    update sync_runs set lease_expires_at = now() + $2::integer * interval '1 millisecond'
    where id = $1 and status = 'running'
    returning id
)
select id from renewed`;

/**
 * Claims the right to run a sync, in one transaction: fails runs whose lease expired, then
 * inserts a `running` row. Another live run's row wins the unique index: that run is returned.
 */
export async function claimRun(
  db: Database,
  trigger: SyncTrigger,
  window: SyncWindow,
  leaseMs = DEFAULT_LEASE_TIMING.leaseMs,
): Promise<Claim> {
  const claimedId = await inTransaction(db.dataSource, async (runner) => {
    await failAbandonedRuns(runner, false);
    const [inserted]: { id: number }[] = await runner.query(INSERT_RUN,
      [trigger, window.asOf, window.windowStart, window.windowEnd, PROCESS_OWNER, leaseMs]);
    if (inserted) await deleteOrphanScratch(runner);
    return inserted?.id;
  });
  const runs = db.dataSource.getRepository(SyncRun);
  if (claimedId !== undefined) return { claimed: true, run: await runs.findOneByOrFail({ id: claimedId }) };
  // The row we collided with may have finished since: the latest run is then the one that was under way.
  const current = (await runs.findOneBy({ status: SyncRunStatus.RUNNING })) ?? (await runs.find({ order: { id: 'DESC' }, take: 1 }))[0];
  return { claimed: false, run: current };
}

/**
 * At start-up: fails runs left `running` by a dead process and drops scratch rows of runs that
 * are over. Returns how many runs it failed.
 */
export async function recoverStaleRuns(db: Database): Promise<number> {
  // The embedded database belongs to this process alone (the data directory's lock file), and
  // this process has not started a run yet: any `running` row is a dead process's, lease or not.
  const everyRunningRow = db.kind === 'pglite';
  return inTransaction(db.dataSource, async (runner) => {
    const failed = await failAbandonedRuns(runner, everyRunningRow);
    await deleteOrphanScratch(runner);
    return failed;
  });
}

/** Extends a run's lease; false when the run is no longer `running` (another process failed it). */
export async function renewClaim(db: Queryable, runId: number, leaseMs: number): Promise<boolean> {
  const rows: unknown[] = await db.query(RENEW_CLAIM, [runId, leaseMs]);
  return rows.length > 0;
}

/**
 * The first statement of a run's final transaction: locks the run's row until commit, so no other
 * process can fail the run meanwhile, and throws SYNC_CLAIM_LOST if one already has. A lock
 * rather than an update: a claimer's insert then meets a live row and answers at once, instead
 * of waiting for the models to commit.
 */
export async function holdClaim(runner: Queryable, runId: number): Promise<void> {
  const rows: unknown[] = await runner.query(`select id from sync_runs where id = $1 and status = 'running' for update`, [runId]);
  if (rows.length === 0) throw claimLost(runId);
}

export function claimLost(runId: number): SyncError {
  return new SyncError('SYNC_CLAIM_LOST',
    `sync run ${runId} lost its claim: another process marked it failed after its lease expired; nothing of it was committed`);
}

async function failAbandonedRuns(runner: Queryable, everyRunningRow: boolean): Promise<number> {
  const [{ failed }]: { failed: number }[] = await runner.query(FAIL_ABANDONED_RUNS, [everyRunningRow]);
  return failed;
}

async function deleteOrphanScratch(runner: Queryable): Promise<void> {
  for (const sql of DELETE_ORPHAN_SCRATCH) await runner.query(sql);
}
