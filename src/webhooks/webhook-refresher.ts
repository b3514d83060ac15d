import type { Logger } from '../logging/logger';
import type { StartedSync, SyncRequest } from '../sync/sync-coordinator';

/** What the refresher needs of the SyncCoordinator: the one-run guard. */
export interface RunStarter {
  start(request: SyncRequest): Promise<StartedSync>;
}

/**
 * After webhook deliveries, one refresh run (trigger `webhook`, fetch_mode `none`) `delayMs` after
 * the first of them: what lands meanwhile joins it, so a burst gives one refresh. The clock is not
 * restarted by each delivery: a steady stream would otherwise put the refresh off for as long as
 * it lasts. Deliveries during a refresh get the next one. Runs go through the coordinator's claim,
 * so a refresh never doubles a sync under way. Deliveries that landed while a run was under way
 * may have missed its final transaction, so another refresh follows that run.
 */
export class WebhookRefresher {
  private timer: NodeJS.Timeout | undefined;
  private landed = 0;
  private running: Promise<void> | undefined;
  private closed = false;

  constructor(private readonly runs: RunStarter, private readonly delayMs: number, private readonly logger: Logger) {}

  /** A delivery changed staging: the refresh is due `delayMs` from now, unless one is due already. */
  noteDelivery(): void {
    this.landed += 1;
    this.arm();
  }

  /** Resolves once no refresh is due or running (tests, shutdown). */
  async idle(): Promise<void> {
    while (this.timer || this.running) {
      if (this.running) await this.running;
      else await new Promise((resolve) => setTimeout(resolve, 20));
    }
  }

  /** No refresh starts from now on; one under way is left to the coordinator's shutdown. */
  close(): void {
    this.closed = true;
    clearTimeout(this.timer);
    this.timer = undefined;
  }

  private arm(): void {
    if (this.closed || this.timer) return;
    this.timer = setTimeout(() => {
      this.timer = undefined;
      // A refresh under way re-arms when it ends if deliveries landed meanwhile.
      if (!this.running) this.running = this.refresh().finally(() => { this.running = undefined; });
    }, this.delayMs);
  }

  private async refresh(): Promise<void> {
    const landedBefore = this.landed;
    try {
      const started = await this.runs.start({ trigger: 'webhook', refresh: true });
      const run = await started.finished;
      this.logger.debug({ runId: run.id, status: run.status, startedHere: started.startedHere }, 'webhook refresh done');
      if (!started.startedHere || this.landed !== landedBefore) this.arm();
    } catch (error) {
      this.logger.error({ err: error }, 'webhook refresh could not start; the next delivery or sync will refresh');
    }
  }
}
