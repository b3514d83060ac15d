import type { Database } from '../db/data-source';
import type { Logger } from '../logging/logger';
import { claimLost, renewClaim, type LeaseTiming } from './claim-run';

/** A claimed run's lease, renewed in the background while the run fetches. */
export interface RunLease {
  /** Aborted, with a SYNC_CLAIM_LOST reason, once another process has failed the run. */
  readonly lost: AbortSignal;
  /** Stops renewing: the run is over, or its final transaction's row lock holds the claim from now on. */
  stop(): void;
}

/**
 * Renews the run's lease every `renewEveryMs` through the data source (never through a runner
 * holding a transaction). A renewal that fails is logged and tried again at the next tick: the
 * lease outlives a few misses, and a dropped connection is replaced by the pool.
 */
export function holdLease(db: Database, runId: number, timing: LeaseTiming, logger: Logger): RunLease {
  const lost = new AbortController();
  let stopped = false;
  let timer: NodeJS.Timeout | undefined;

  const renew = async () => {
    try {
      const held = await renewClaim(db.dataSource, runId, timing.leaseMs);
      if (stopped) return;
      if (!held) {
        logger.warn({ runId }, 'another process marked this sync run failed (its lease had expired): stopping it');
        lost.abort(claimLost(runId));
        return;
      }
    } catch (error) {
      if (stopped) return;
      logger.warn({ runId, err: error }, 'could not renew the sync run claim; retrying at the next renewal');
    }
    schedule();
  };
  const schedule = () => {
    if (stopped) return;
    timer = setTimeout(() => void renew(), timing.renewEveryMs);
    // The run keeps the process alive while it matters; the timer alone must not.
    timer.unref();
  };

  schedule();
  return {
    lost: lost.signal,
    stop() {
      stopped = true;
      clearTimeout(timer);
    },
  };
}
