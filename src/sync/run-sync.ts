import { SyncRun } from '../../entities';
import type { CalendlyClient } from '../calendly/calendly-client';
import type { Database } from '../db/data-source';
import { insertIncomingEvents } from '../db/queries/insert-incoming-events';
import { insertIncomingInvitees } from '../db/queries/insert-incoming-invitees';
import { insertRejectedRecords } from '../db/queries/insert-rejected-records';
import { deleteIncoming, mergeIncoming } from '../db/queries/merge-incoming';
import { inTransaction } from '../db/in-transaction';
import { AppError } from '../errors/app-error';
import type { Logger } from '../logging/logger';
import { runModels } from '../sql-runner/run-models';
import { holdClaim, type LeaseTiming } from './claim-run';
import { fetchWindow, type FetchCounts, type FetchSink } from './fetch-window';
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
  logger: Logger;
}

export interface RunSyncOptions {
  signal?: AbortSignal;
  onProgress?: (counts: FetchCounts) => void;
}

/**
 * One claimed run, top to bottom as metrics.md tells it: fetch the window into the run's scratch
 * tables, then in one transaction merge them into staging, run the models and data tests and
 * record the figures. Any failure leaves staging and results as they were and marks the run failed.
 * A run whose claim another process took (its lease expired) stops, commits nothing and leaves
 * the row as that process wrote it. Resolves with the final row; never rejects for a failed run.
 */
export async function runSync(deps: RunSyncDeps, run: SyncRun, options: RunSyncOptions = {}): Promise<SyncRun> {
  let counts: FetchCounts = { eventsFetched: 0, inviteesFetched: 0, recordsRejected: 0 };
  const lease = holdLease(deps.db, run.id, deps.lease, deps.logger);
  try {
    const organization = deps.organizationUri ?? (await deps.client.getCurrentUser()).current_organization;
    counts = await fetchWindow(deps.client, stagingSink(deps.db, run.id), {
      organization,
      window: run,
      maxPendingInvitees: deps.maxPendingInvitees,
      signal: options.signal ? AbortSignal.any([options.signal, lease.lost]) : lease.lost,
      onProgress: (latest) => {
        counts = latest;
        options.onProgress?.(latest);
      },
    });
    // From its first statement the final transaction holds the run's row lock, which keeps the
    // claim until commit; a renewal would only wait behind it.
    lease.stop();
    await transformAndRecord(deps.db, run, counts);
  } catch (error) {
    await recordFailure(deps.db, run.id, counts, error);
  } finally {
    lease.stop();
  }
  return deps.db.dataSource.getRepository(SyncRun).findOneByOrFail({ id: run.id });
}

function stagingSink(db: Database, runId: number): FetchSink {
  const sql = db.dataSource;
  return {
    events: (rows) => insertIncomingEvents(sql, runId, rows),
    invitees: (rows) => insertIncomingInvitees(sql, runId, rows),
    rejected: (records) => insertRejectedRecords(sql, runId, records),
  };
}

async function transformAndRecord(db: Database, run: SyncRun, counts: FetchCounts): Promise<void> {
  // Claim check, merge, models and record on one runner: PGlite has a single connection.
  await inTransaction(db.dataSource, async (runner) => {
    await holdClaim(runner, run.id);
    await mergeIncoming(runner, run.id, run);
    const { models, figures } = await runModels(runner, {
      runId: run.id, asOf: run.asOf, windowStart: run.windowStart, windowEnd: run.windowEnd,
    });
    await runner.query(
      `update sync_runs set
           status = 'succeeded', finished_at = now(), error = null,
           events_processed = $2, invitees_processed = $3, records_rejected = $4,
           customers_updated = $5, no_shows_detected = $6, upcoming_calls = $7, avg_show_rate = $8,
           models = $9::jsonb
       where id = $1 and status = 'running'`,
      [run.id, counts.eventsFetched, counts.inviteesFetched, counts.recordsRejected, figures.customersUpdated,
        figures.noShowsDetected, figures.upcomingCalls, figures.avgShowRate, JSON.stringify(models)],
    );
  });
}

/** A readable reason: our own errors carry one; anything else is named but not dumped. */
export function describeFailure(error: unknown): string {
  if (error instanceof AppError) return `${error.code}: ${error.message}`;
  if (error instanceof Error) return `unexpected error: ${error.message}`;
  return `unexpected error: ${String(error)}`;
}

// A row another process already failed keeps its verdict: `running` is the only status a run's
// owner may change.
async function recordFailure(db: Database, runId: number, counts: FetchCounts, error: unknown): Promise<void> {
  await deleteIncoming(db.dataSource, runId);
  await db.dataSource.query(
    `update sync_runs set status = 'failed', finished_at = now(), error = $2,
         events_processed = $3, invitees_processed = $4, records_rejected = $5
     where id = $1 and status = 'running'`,
    [runId, describeFailure(error), counts.eventsFetched, counts.inviteesFetched, counts.recordsRejected],
  );
}
