import { SyncFetchMode, SyncRun } from '../../entities';
import type { CalendlyClient } from '../calendly/calendly-client';
import type { Database } from '../db/data-source';
import { insertIncomingEvents } from '../db/queries/insert-incoming-events';
import { insertIncomingInvitees } from '../db/queries/insert-incoming-invitees';
import { insertRejectedRecords } from '../db/queries/insert-rejected-records';
import { deleteIncoming, forgetIncomingEvent, mergeIncoming } from '../db/queries/merge-incoming';
import { selectCurrentInviteeLists } from '../db/queries/select-current-invitee-lists';
import { inTransaction } from '../db/in-transaction';
import { describeFailure } from '../errors/app-error';
import type { Logger } from '../logging/logger';
import { runModels } from '../sql-runner/run-models';
import { holdClaim, type LeaseTiming } from './claim-run';
import { fetchWindow, type CurrentInviteeLists, type FetchCounts, type FetchSink } from './fetch-window';
import { decideFetchMode, settlingCalls, type FetchPolicy } from './fetch-mode';
import { holdLease } from './run-lease';

export interface RunSyncDeps {
  db: Database;
  client: CalendlyClient;
  /** Organisation to sync; read from `GET /users/me` when absent. */
  organizationUri?: string;
  /** Invitee reads queued ahead of the client's in-flight cap. */
  maxPendingInvitees: number;
  /** How the run's claim is renewed while it fetches. */
  lease: LeaseTiming;
  /** When a run is full and which calls still settle (metrics.md §6). */
  fetchPolicy: FetchPolicy;
  logger: Logger;
}

export interface RunSyncOptions {
  /** Read every event's invitees, whatever the last full run (metrics.md §6). */
  full?: boolean;
  signal?: AbortSignal;
  onProgress?: (counts: FetchCounts) => void;
}

/**
 * One claimed run, top to bottom as metrics.md tells it: decide whether it reads fully or
 * incrementally (§6), fetch the window into the run's scratch tables, then in one transaction
 * merge them into staging, run the models and data tests and record the figures. Any failure leaves staging and results as they were and marks the run failed.
 * A run whose claim another process took (its lease expired) stops, commits nothing and leaves
 * the row as that process wrote it. Resolves with the final row; never rejects for a failed run.
 */
export async function runSync(deps: RunSyncDeps, run: SyncRun, options: RunSyncOptions = {}): Promise<SyncRun> {
  let counts: FetchCounts = { eventsFetched: 0, inviteesFetched: 0, recordsRejected: 0, inviteeReadsSkipped: 0 };
  // The client may have served this process before: the run's cost is what it sends from here.
  const requestsBefore = deps.client.stats().requests;
  const cost = () => ({ ...counts, requestsMade: deps.client.stats().requests - requestsBefore });
  const lease = holdLease(deps.db, run.id, deps.lease, deps.logger);
  try {
    const mode = await decideFetchMode(deps.db.dataSource, run, deps.fetchPolicy, options);
    await recordFetchMode(deps.db, run.id, mode);
    const organization = deps.organizationUri ?? (await deps.client.getCurrentUser()).current_organization;
    counts = await fetchWindow(deps.client, scratchSink(deps.db, run.id), {
      organization,
      window: run,
      maxPendingInvitees: deps.maxPendingInvitees,
      currentInviteeLists: mode === SyncFetchMode.INCREMENTAL ? currentInviteeLists(deps.db, run, deps.fetchPolicy) : undefined,
      signal: options.signal ? AbortSignal.any([options.signal, lease.lost]) : lease.lost,
      onProgress: (latest) => {
        counts = latest;
        options.onProgress?.(latest);
      },
    });
    // From its first statement the final transaction holds the run's row lock, which keeps the
    // claim until commit; a renewal would only wait behind it.
    lease.stop();
    await transformAndRecord(deps.db, run, cost());
  } catch (error) {
    await recordFailure(deps.db, run.id, cost(), error);
  } finally {
    lease.stop();
  }
  return deps.db.dataSource.getRepository(SyncRun).findOneByOrFail({ id: run.id });
}

/** What the run fetched and what it cost Calendly (metrics.md §4). */
type RunCost = FetchCounts & { requestsMade: number };

/** Writes what the run fetches into its scratch tables (calendly_incoming_*), merged only at the end. */
function scratchSink(db: Database, runId: number): FetchSink {
  const sql = db.dataSource;
  return {
    events: (rows) => insertIncomingEvents(sql, runId, rows),
    invitees: (rows) => insertIncomingInvitees(sql, runId, rows),
    rejected: (records) => insertRejectedRecords(sql, runId, records),
    forgetEvent: (eventUri) => forgetIncomingEvent(sql, runId, eventUri),
  };
}

// Staging changes only when a run commits, so what it holds was read by a run that succeeded:
// a failed or crashed run leaves nothing an incremental run could mistake for a read list.
function currentInviteeLists(db: Database, run: SyncRun, policy: FetchPolicy): CurrentInviteeLists {
  const settling = settlingCalls(run.asOf, policy);
  return (page) => selectCurrentInviteeLists(db.dataSource, page, settling);
}

async function recordFetchMode(db: Database, runId: number, mode: SyncFetchMode): Promise<void> {
  await db.dataSource.query(`update sync_runs set fetch_mode = $2 where id = $1 and status = 'running'`, [runId, mode]);
}

/**
 * A refresh after webhook deliveries (fetch_mode `none`): reads nothing from Calendly and runs
 * only the final transaction (claim check, models, data tests, figures) over staging, where the
 * deliveries already landed. Resolves with the final row; never rejects for a failed run.
 */
export async function runRefresh(db: Database, run: SyncRun): Promise<SyncRun> {
  const nothingRead: RunCost = { eventsFetched: 0, inviteesFetched: 0, recordsRejected: 0, inviteeReadsSkipped: 0, requestsMade: 0 };
  try {
    await recordFetchMode(db, run.id, SyncFetchMode.NONE);
    await transformAndRecord(db, run, nothingRead, { merge: false });
  } catch (error) {
    await recordFailure(db, run.id, nothingRead, error);
  }
  return db.dataSource.getRepository(SyncRun).findOneByOrFail({ id: run.id });
}

async function transformAndRecord(db: Database, run: SyncRun, counts: RunCost, { merge = true } = {}): Promise<void> {
  // Claim check, merge, models and record on one runner: PGlite has a single connection.
  await inTransaction(db.dataSource, async (runner) => {
    await holdClaim(runner, run.id);
    // A refresh read nothing, so it has nothing to merge and no complete read to mark gone from.
    if (merge) await mergeIncoming(runner, run.id, run);
    const { models, figures } = await runModels(runner, {
      runId: run.id, asOf: run.asOf, windowStart: run.windowStart, windowEnd: run.windowEnd,
    });
    await runner.query(
      `update sync_runs set
           status = 'succeeded', finished_at = now(), error = null,
           events_processed = $2, invitees_processed = $3, records_rejected = $4,
           customers_updated = $5, no_shows_detected = $6, upcoming_calls = $7, avg_show_rate = $8,
           models = $9::jsonb, requests_made = $10, invitee_reads_skipped = $11
       where id = $1 and status = 'running'`,
      [run.id, counts.eventsFetched, counts.inviteesFetched, counts.recordsRejected, figures.customersUpdated,
        figures.noShowsDetected, figures.upcomingCalls, figures.avgShowRate, JSON.stringify(models),
        counts.requestsMade, counts.inviteeReadsSkipped],
    );
  });
}

// A row another process already failed keeps its verdict: `running` is the only status a run's
// owner may change.
async function recordFailure(db: Database, runId: number, counts: RunCost, error: unknown): Promise<void> {
  await deleteIncoming(db.dataSource, runId);
  await db.dataSource.query(
    `update sync_runs set status = 'failed', finished_at = now(), error = $2,
         events_processed = $3, invitees_processed = $4, records_rejected = $5,
         requests_made = $6, invitee_reads_skipped = $7
     where id = $1 and status = 'running'`,
    [runId, describeFailure(error), counts.eventsFetched, counts.inviteesFetched, counts.recordsRejected,
      counts.requestsMade, counts.inviteeReadsSkipped],
  );
}
