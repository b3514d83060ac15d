import { setTimeout as sleep } from 'node:timers/promises';
import { SyncRun, SyncRunStatus, type SyncTrigger } from '../../entities';
import { CalendlyClient } from '../calendly/calendly-client';
import { requireCalendlyApiKey, type Config } from '../config/config';
import type { Database } from '../db/data-source';
import type { Logger } from '../logging/logger';
import { claimRun, recoverStaleRuns } from './claim-run';
import type { FetchCounts } from './fetch-window';
import { runSummary } from './run-summary';
import { describeFailure, runSync } from './run-sync';
import { syncWindow } from './sync-window';

export interface SyncRequest {
  trigger: SyncTrigger;
  lookbackDays?: number;
  lookaheadDays?: number;
  /** The run's instant; defaults to now (tests and the benchmark pin it). */
  asOf?: Date;
}

export interface StartedSync {
  /** The row, status `running`. */
  run: SyncRun;
  /** False when a run already under way (in this process or another) was returned instead. */
  startedHere: boolean;
  /** The final row, succeeded or failed; never rejects. */
  finished: Promise<SyncRun>;
}

export interface SyncCoordinatorDeps {
  db: Database;
  config: Config;
  logger: Logger;
  /** Overrides the configured Calendly endpoint and key (demo, tests, benchmark). */
  calendly?: { baseUrl: string; apiKey: string };
  onProgress?: (counts: FetchCounts, requests: number) => void;
}

// How often a caller that got another process's run checks whether it has finished.
const REMOTE_POLL_MS = 1000;

/** Starts syncs under the single-run guard and tracks the one this process runs. */
export class SyncCoordinator {
  private active: (StartedSync & { abort: AbortController }) | undefined;
  private starting: Promise<StartedSync> | undefined;
  private closed = false;

  constructor(private readonly deps: SyncCoordinatorDeps) {}

  /** Claims the single-run guard in Postgres; on success starts the run in the background. */
  async start(request: SyncRequest): Promise<StartedSync> {
    if (this.active) return { ...this.active, startedHere: false };
    if (this.starting) return { ...(await this.starting), startedHere: false };
    this.starting = this.claimAndLaunch(request);
    try {
      return await this.starting;
    } finally {
      this.starting = undefined;
    }
  }

  /** Marks runs left `running` by dead processes as failed (called at start-up). */
  async recoverStaleRuns(): Promise<number> {
    const recovered = await recoverStaleRuns(this.deps.db);
    if (recovered > 0) this.deps.logger.warn({ recovered }, 'marked sync runs left running by a dead process as failed');
    return recovered;
  }

  /** Waits up to `timeoutMs` for this process's run, then aborts it; it is then recorded as failed. */
  async shutdown(timeoutMs: number): Promise<void> {
    this.closed = true;
    const active = this.active ?? (this.starting ? await this.starting.catch(() => undefined) : undefined);
    if (!active || !this.active) return;
    const finishedInTime = await Promise.race([active.finished.then(() => true), sleep(timeoutMs, false, { ref: false })]);
    if (finishedInTime) return;
    this.deps.logger.warn({ runId: active.run.id, timeoutMs }, 'sync still running at shutdown: aborting it');
    this.active.abort.abort();
    await active.finished;
  }

  private async claimAndLaunch(request: SyncRequest): Promise<StartedSync> {
    const { config, db, logger } = this.deps;
    const window = syncWindow(request.asOf ?? new Date(),
      request.lookbackDays ?? config.syncLookbackDays, request.lookaheadDays ?? config.syncLookaheadDays);
    const client = this.createClient();
    const claim = await claimRun(db, request.trigger, window);
    if (!claim.claimed) {
      client.close();
      return { run: claim.run, startedHere: false, finished: this.waitForRemoteRun(claim.run) };
    }

    const abort = new AbortController();
    logger.info({ runId: claim.run.id, trigger: request.trigger, asOf: window.asOf, windowStart: window.windowStart,
      windowEnd: window.windowEnd }, 'sync run started');
    const finished = runSync(
      { db, client, organizationUri: config.calendlyOrganizationUri, maxPendingInvitees: config.calendlyConcurrency * 4 },
      claim.run,
      { signal: abort.signal, onProgress: (counts) => this.deps.onProgress?.(counts, client.stats().requests) },
    )
      .catch(async (error: unknown) => {
        // Recording the failure itself failed (database gone): report what we know.
        logger.error({ runId: claim.run.id, err: describeFailure(error) }, 'could not record the end of a sync run');
        return Object.assign(new SyncRun(), claim.run, { status: SyncRunStatus.FAILED, error: describeFailure(error) });
      })
      .then((run) => {
        const summary = runSummary(run);
        if (run.status === SyncRunStatus.SUCCEEDED) logger.info(summary, 'sync run succeeded');
        else logger.error(summary, 'sync run failed');
        return run;
      })
      .finally(async () => {
        client.close();
        await claim.lock.release();
        this.active = undefined;
      });
    this.active = { run: claim.run, startedHere: true, finished, abort };
    return { run: claim.run, startedHere: true, finished };
  }

  private createClient(): CalendlyClient {
    const { config, logger } = this.deps;
    return new CalendlyClient({
      baseUrl: this.deps.calendly?.baseUrl ?? config.calendlyBaseUrl,
      apiKey: this.deps.calendly?.apiKey ?? requireCalendlyApiKey(config),
      rateLimitPerMinute: config.calendlyRateLimitPerMinute,
      concurrency: config.calendlyConcurrency,
      maxRetries: config.calendlyMaxRetries,
      timeoutMs: config.calendlyTimeoutMs,
      logger,
    });
  }

  /** Follows another process's run until it ends, or until this coordinator shuts down. */
  private async waitForRemoteRun(run: SyncRun): Promise<SyncRun> {
    const { dataSource } = this.deps.db;
    let latest = run;
    while (!this.closed && dataSource.isInitialized) {
      latest = (await dataSource.getRepository(SyncRun).findOneBy({ id: run.id }).catch(() => null)) ?? latest;
      if (latest.status !== SyncRunStatus.RUNNING) break;
      await sleep(REMOTE_POLL_MS, undefined, { ref: false });
    }
    return latest;
  }
}
