import { SyncFetchMode, type SyncRun } from '../../entities';
import type { Queryable } from '../db/queryable';

/** What metrics.md §6 decides a run's reads from. */
export interface FetchPolicy {
  /** Incremental runs re-read the invitees of calls started this many days before as_of. */
  settleDays: number;
  /** A run is full when no full run succeeded within this many hours; 0: every run is full. */
  fullRefreshHours: number;
}

const HOUR_MS = 3_600_000;
const DAY_MS = 24 * HOUR_MS;

// A full run covers this one when it reached at least as far back and as far ahead of its own
// as_of; events that entered the window since are new to staging, so an incremental run reads
// them anyway. Judged on as_of, the instant every rule of a run is evaluated against.
const RECENT_COVERING_FULL_RUN = `
select exists (
    select 1 from sync_runs
    where status = 'succeeded' and fetch_mode = 'full'
        and as_of <= $1 and as_of > $1 - $2::integer * interval '1 hour'
        and as_of - window_start >= $3::bigint * interval '1 millisecond'
        and window_end - as_of >= $4::bigint * interval '1 millisecond'
) as covered`;

/**
 * Full when asked, when SYNC_FULL_REFRESH_HOURS is 0, or when no full run with at least this
 * run's lookback and lookahead succeeded within the last SYNC_FULL_REFRESH_HOURS; else incremental.
 */
export async function decideFetchMode(
  db: Queryable,
  run: Pick<SyncRun, 'asOf' | 'windowStart' | 'windowEnd'>,
  policy: FetchPolicy,
  asked: { full?: boolean },
): Promise<SyncFetchMode.FULL | SyncFetchMode.INCREMENTAL> {
  if (asked.full || policy.fullRefreshHours === 0) return SyncFetchMode.FULL;
  const [{ covered }]: { covered: boolean }[] = await db.query(RECENT_COVERING_FULL_RUN, [
    run.asOf, policy.fullRefreshHours,
    run.asOf.getTime() - run.windowStart.getTime(), run.windowEnd.getTime() - run.asOf.getTime(),
  ]);
  return covered ? SyncFetchMode.INCREMENTAL : SyncFetchMode.FULL;
}

/** The start_time range of calls still settling at `asOf`: [as_of - settle days, as_of]. */
export function settlingCalls(asOf: Date, policy: FetchPolicy): { from: Date; to: Date } {
  return { from: new Date(asOf.getTime() - policy.settleDays * DAY_MS), to: asOf };
}
