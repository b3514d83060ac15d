import { setTimeout as sleep } from 'node:timers/promises';
import { SyncRun, SyncRunStatus } from '../../../entities';
import { createLogger } from '../../../src/logging/logger';
import type { StartedSync, SyncRequest } from '../../../src/sync/sync-coordinator';
import { WebhookRefresher, type RunStarter } from '../../../src/webhooks/webhook-refresher';

/** A coordinator that records each start; `busyFor` makes the next start find another run under way for that long. */
function fakeRuns(runMs = 10) {
  const starts: { request: SyncRequest; at: number }[] = [];
  let busyFor = 0;
  const runs: RunStarter = {
    async start(request): Promise<StartedSync> {
      starts.push({ request, at: Date.now() });
      const startedHere = busyFor === 0;
      const ms = busyFor || runMs;
      busyFor = 0;
      const run = Object.assign(new SyncRun(), { id: starts.length, status: SyncRunStatus.RUNNING });
      return { run, startedHere, finished: sleep(ms).then(() => Object.assign(run, { status: SyncRunStatus.SUCCEEDED })) };
    },
  };
  return { runs, starts, anotherRunFor: (ms: number) => { busyFor = ms; } };
}

describe('WebhookRefresher', () => {
  const logger = createLogger('silent');

  it('should start one refresh run (trigger webhook, refresh only) for a burst of deliveries', async () => {
    // Arrange
    const { runs, starts } = fakeRuns();
    const refresher = new WebhookRefresher(runs, 50, logger);
    // Act
    for (let i = 0; i < 500; i += 1) refresher.noteDelivery();
    await refresher.idle();
    // Assert
    expect(starts.map((s) => s.request)).toEqual([{ trigger: 'webhook', refresh: true }]);
  });

  it('should refresh while a steady stream of deliveries lasts, not only after it', async () => {
    // Arrange: a delivery every 20 ms for 600 ms, a delay of 100 ms
    const { runs, starts } = fakeRuns();
    const refresher = new WebhookRefresher(runs, 100, logger);
    const streamStarted = Date.now();
    // Act
    while (Date.now() - streamStarted < 600) {
      refresher.noteDelivery();
      await sleep(20);
    }
    const duringStream = starts.length;
    await refresher.idle();
    // Assert
    expect(duringStream).toBeGreaterThanOrEqual(3);
    expect(starts[0].at - streamStarted).toBeLessThan(300);
  });

  it('should refresh once more after a run that was already under way', async () => {
    const { runs, starts, anotherRunFor } = fakeRuns();
    anotherRunFor(100);
    const refresher = new WebhookRefresher(runs, 20, logger);
    refresher.noteDelivery();
    await refresher.idle();
    expect(starts).toHaveLength(2);
  });

  it('should start nothing once closed', async () => {
    const { runs, starts } = fakeRuns();
    const refresher = new WebhookRefresher(runs, 20, logger);
    refresher.noteDelivery();
    refresher.close();
    await sleep(60);
    expect(starts).toHaveLength(0);
  });
});
