import type { SyncRun } from '../../entities';

/** The run record of metrics.md §4 as one flat JSON object (CLI last line, end-of-run log). */
export function runSummary(run: SyncRun): Record<string, unknown> {
  return {
    run_id: run.id,
    trigger: run.trigger,
    status: run.status,
    as_of: run.asOf.toISOString(),
    window_start: run.windowStart.toISOString(),
    window_end: run.windowEnd.toISOString(),
    started_at: run.startedAt.toISOString(),
    finished_at: run.finishedAt?.toISOString() ?? null,
    events_processed: run.eventsProcessed,
    invitees_processed: run.inviteesProcessed,
    customers_updated: run.customersUpdated,
    no_shows_detected: run.noShowsDetected,
    upcoming_calls: run.upcomingCalls,
    avg_show_rate: run.avgShowRate,
    records_rejected: run.recordsRejected,
    fetch_mode: run.fetchMode,
    requests_made: run.requestsMade,
    invitee_reads_skipped: run.inviteeReadsSkipped,
    error: run.error,
  };
}
