import { setTimeout as sleep } from 'node:timers/promises';
import { SyncRun, SyncRunStatus, type SyncTrigger } from '../../entities';
import { CalendlyClient, type CalendlyClientObserver } from '../calendly/calendly-client';
import { requireCalendlyApiKey, type Config } from '../config/config';
import type { Database } from '../db/data-source';
import { describeFailure } from '../errors/app-error';
import type { Logger } from '../logging/logger';
import { claimRun, DEFAULT_LEASE_TIMING, recoverStaleRuns, type LeaseTiming } from './claim-run';
import type { FetchCounts } from './fetch-window';
import { runSummary } from './run-summary';
import { SyncError } from './sync.error';
import { runRefresh, runSync } from './run-sync';
import { syncWindow } from './sync-window';

export interface SyncRequest {
  trigger: SyncTrigger;
  lookbackDays?: number;
  lookaheadDays?: number;
  /** The run's instant; defaults to now (tests and the benchmark pin it). */
  asOf?: Date;
  /** Read every event's invitees, whatever the last full run (metrics.md §6). */
  full?: boolean;
  /** Read nothing from Calendly, only recompute the models from staging (fetch_mode none: after webhook deliveries). */
  refresh?: boolean;
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
  /** Lease length and renewal period of the runs this process claims (tests shorten them). */
  lease?: LeaseTiming;
  /** Told of every Calendly request and rate-limit pause (the service's /metrics). */
  calendlyObserver?: CalendlyClientObserver;
}

// How often a caller that got another process's run checks whether it has finished.
const REMOTE_POLL_MS = 1000;

/**
 * Starts syncs through the database claim (claim-run.ts) and follows the one this process runs.
 * It remembers that run only to hand it to callers and to abort it at shutdown; the claim, not
 * this memory, is what keeps two runs apart.
 */
export class SyncCoordinator {
  private own: (StartedSync & { abort: AbortController }) | undefined;
  private readonly starting = new Set<Promise<StartedSync>>();
  private closed = false;

  constructor(private readonly deps: SyncCoordinatorDeps) {}

  /** Claims the run in Postgres; on success starts it in the background, else returns the run under way. */
  async start(request: SyncRequest): Promise<StartedSync> {
    if (this.own) return { ...this.own, startedHere: false };
    const starting = this.claimAndLaunch(request);
    this.starting.add(starting);
    try {
      return await starting;
    } finally {
      this.starting.delete(starting);
    }
  }

  /** Fails runs left `running` by dead processes and drops their scratch rows (called at start-up). */
  async recoverStaleRuns(): Promise<number> {
    const recovered = await recoverStaleRuns(this.deps.db);
    if (recovered > 0) this.deps.logger.warn({ recovered }, 'marked sync runs left running by a dead process as failed');
    return recovered;
  }

  /** Waits up to `timeoutMs` for this process's run, then aborts it; it is then recorded as failed. */
  async shutdown(timeoutMs: number): Promise<void> {
    this.closed = true;
    await Promise.allSettled(this.starting);
    const own = this.own;
    if (!own) return;
    const finishedInTime = await Promise.race([own.finished.then(() => true), sleep(timeoutMs, false, { ref: false })]);
    if (finishedInTime) return;
    this.deps.logger.warn({ runId: own.run.id, timeoutMs }, 'sync still running at shutdown: aborting it');
    own.abort.abort(new SyncError('SYNC_ABORTED', 'the sync was aborted: the service is shutting down'));
    await own.finished;
  }

  private get lease(): LeaseTiming {
    return this.deps.lease ?? DEFAULT_LEASE_TIMING;
  }

  private async claimAndLaunch(request: SyncRequest): Promise<StartedSync> {
    const { config, db } = this.deps;
    const window = syncWindow(request.asOf ?? new Date(),
      request.lookbackDays ?? config.syncLookbackDays, request.lookaheadDays ?? config.syncLookaheadDays);
    // Before claiming: a missing API key must not leave a failed run behind.
    const client = this.createClient();
    let claim: Awaited<ReturnType<typeof claimRun>>;
    try {
      claim = await claimRun(db, request.trigger, window, this.lease.leaseMs);
    } catch (error) {
      client.close();
      throw error;
    }
    if (claim.claimed) return this.launch(claim.run, request, client);
    client.close();
    if (this.own?.run.id === claim.run.id) return { ...this.own, startedHere: false };
    return { run: claim.run, startedHere: false, finished: this.waitForRemoteRun(claim.run) };
  }

  private launch(run: SyncRun, { trigger, full, refresh }: SyncRequest, client: CalendlyClient): StartedSync {
    const { config, db, logger } = this.deps;
    const abort = new AbortController();
    // An abort ends the requests in flight too, instead of waiting for their answers.
    abort.signal.addEventListener('abort', () => client.close(), { once: true });
    logger.info({ runId: run.id, trigger, asOf: run.asOf, windowStart: run.windowStart, windowEnd: run.windowEnd },
      'sync run started');
    const finished = (refresh ? runRefresh(db, run) : runSync(
      { db, client, organizationUri: config.calendlyOrganizationUri, maxPendingInvitees: config.calendlyConcurrency * 4,
        lease: this.lease, fetchPolicy: { settleDays: config.syncSettleDays, fullRefreshHours: config.syncFullRefreshHours }, logger },
      run,
      { full, signal: abort.signal, onProgress: (counts) => this.deps.onProgress?.(counts, client.stats().requests) },
    ))
      .catch((error: unknown) => {
        // Recording the failure itself failed (database gone): report what we know.
        logger.error({ runId: run.id, err: describeFailure(error) }, 'could not record the end of a sync run');
        return Object.assign(new SyncRun(), run, { status: SyncRunStatus.FAILED, error: describeFailure(error) });
      })
      .then((final) => {
        const summary = runSummary(final);
        if (final.status === SyncRunStatus.SUCCEEDED) logger.info(summary, 'sync run succeeded');
        else logger.error(summary, 'sync run failed');
        return final;
      })
      .finally(() => {
        // First, whatever else happens: the next start must not find this run.
        if (this.own?.run.id === run.id) this.own = undefined;
        client.close();
      });
    this.own = { run, startedHere: true, finished, abort };
    return { run, startedHere: true, finished };
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
      observer: this.deps.calendlyObserver,
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
