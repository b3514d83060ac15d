import { SyncRun } from '../../entities';
import type { CalendlyClient } from '../calendly/calendly-client';
import type { Database } from '../db/data-source';
import { insertIncomingEvents } from '../db/queries/insert-incoming-events';
import { insertIncomingInvitees } from '../db/queries/insert-incoming-invitees';
import { insertRejectedRecords } from '../db/queries/insert-rejected-records';
import { deleteIncoming, mergeIncoming } from '../db/queries/merge-incoming';
import { AppError } from '../errors/app-error';
import { runModels } from '../sql-runner/run-models';
import { fetchWindow, type FetchCounts, type FetchSink } from './fetch-window';

export interface RunSyncDeps {
  db: Database;
  client: CalendlyClient;
  /** Organisation to sync; read from `GET /users/me` when absent. */
  organizationUri?: string;
  /** Invitee reads queued ahead of the client's in-flight cap. */
  maxPendingInvitees: number;
}

export interface RunSyncOptions {
  signal?: AbortSignal;
  onProgress?: (counts: FetchCounts) => void;
}

/**
 * One claimed run, top to bottom as metrics.md tells it: fetch the window into the run's scratch
 * tables, then in one transaction merge them into staging, run the models and data tests and
 * record the figures. Any failure leaves staging and results as they were and marks the run failed.
 * Resolves with the final row; never rejects for a failed run.
 */
export async function runSync(deps: RunSyncDeps, run: SyncRun, options: RunSyncOptions = {}): Promise<SyncRun> {
  let counts: FetchCounts = { eventsFetched: 0, inviteesFetched: 0, recordsRejected: 0 };
  try {
    const organization = deps.organizationUri ?? (await deps.client.getCurrentUser()).current_organization;
    counts = await fetchWindow(deps.client, stagingSink(deps.db, run.id), {
      organization,
      window: run,
      maxPendingInvitees: deps.maxPendingInvitees,
      signal: options.signal,
      onProgress: (latest) => {
        counts = latest;
        options.onProgress?.(latest);
      },
    });
    await transformAndRecord(deps.db, run, counts);
  } catch (error) {
    await recordFailure(deps.db, run.id, counts, error);
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
  // Lock, merge, models and record on one runner: PGlite has a single connection.
  const runner = db.dataSource.createQueryRunner();
  await runner.connect();
  try {
    await runner.startTransaction();
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
       where id = $1`,
      [run.id, counts.eventsFetched, counts.inviteesFetched, counts.recordsRejected, figures.customersUpdated,
        figures.noShowsDetected, figures.upcomingCalls, figures.avgShowRate, JSON.stringify(models)],
    );
    await runner.commitTransaction();
  } catch (error) {
    if (runner.isTransactionActive) await runner.rollbackTransaction();
    throw error;
  } finally {
    await runner.release();
  }
}

/** A readable reason: our own errors carry one; anything else is named but not dumped. */
export function describeFailure(error: unknown): string {
  if (error instanceof AppError) return `${error.code}: ${error.message}`;
  if (error instanceof Error) return `unexpected error: ${error.message}`;
  return `unexpected error: ${String(error)}`;
}

async function recordFailure(db: Database, runId: number, counts: FetchCounts, error: unknown): Promise<void> {
  await deleteIncoming(db.dataSource, runId);
  await db.dataSource.query(
    `update sync_runs set status = 'failed', finished_at = now(), error = $2,
         events_processed = $3, invitees_processed = $4, records_rejected = $5
     where id = $1`,
    [runId, describeFailure(error), counts.eventsFetched, counts.inviteesFetched, counts.recordsRejected],
  );
}
