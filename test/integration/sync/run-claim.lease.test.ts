import { SyncRunStatus } from '../../../entities';
import { openDatabase, type Database } from '../../../src/db/data-source';
import { startSimulator, type Simulator } from '../../../src/simulator/simulator.server';
import { claimRun } from '../../../src/sync/claim-run';
import { syncWindow } from '../../../src/sync/sync-window';
import { openTestDatabase } from '../../helpers/test-db';
import { coordinatorFor, NOW, stagingAndResults, syncOnce } from './sync-test.helper';

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

async function waitFor(condition: () => boolean, timeoutMs = 10_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!condition()) {
    if (Date.now() > deadline) throw new Error('condition not met in time');
    await sleep(10);
  }
}

describe('the run claim and its lease', () => {
  let db: Database & { url?: string };
  let fast: Simulator;
  let slow: Simulator;

  beforeAll(async () => {
    [db, fast, slow] = await Promise.all([
      openTestDatabase(),
      startSimulator({ seed: 5, events: 40, now: NOW, invalidRecords: false }),
      // Another organisation's data, served slowly: a run is still fetching when the test acts on it.
      startSimulator({ seed: 6, events: 60, now: NOW, invalidRecords: false, latencyMs: 150 }),
    ]);
    expect((await syncOnce(coordinatorFor(db, fast).coordinator)).status).toBe('succeeded');
  });

  afterAll(async () => {
    await db?.close();
    await fast?.close();
    await slow?.close();
  });


  async function status(id: number): Promise<{ status: string; error: string | null; finished_at: Date | null }> {
    const [row] = await db.dataSource.query('select status, error, finished_at from sync_runs where id = $1', [id]);
    return row;
  }

  it('should not commit a run whose lease lapsed and whose row another process failed, nor overwrite that verdict', async () => {
    // Arrange: a run that renews too rarely to keep its 200 ms lease while it fetches
    const before = await stagingAndResults(db);
    const { coordinator } = coordinatorFor(db, slow, {}, { lease: { leaseMs: 200, renewEveryMs: 60_000 } });
    const started = await coordinator.start({ trigger: 'cli', asOf: NOW });
    await waitFor(() => slow.stats.requests > 3);
    await sleep(300);

    // Act: another process claims; it fails the lapsed run and gets the claim
    const other = await claimRun(db, 'cli', syncWindow(NOW, 90, 90));
    const verdict = await status(started.run.id);
    await db.dataSource.query(`update sync_runs set status = 'failed', finished_at = now(), error = 'test: other run over' where id = $1`,
      [other.run.id]);
    const run = await started.finished;

    // Assert
    expect(other.claimed).toBe(true);
    expect(verdict.status).toBe(SyncRunStatus.FAILED);
    expect(run.status).toBe(SyncRunStatus.FAILED);
    expect(await status(started.run.id)).toEqual(verdict);
    expect(await stagingAndResults(db)).toBe(before);
  });

  it('should stop a run and keep its row as another process left it when its claim is taken away mid-fetch', async () => {
    // Arrange
    const before = await stagingAndResults(db);
    const { coordinator } = coordinatorFor(db, slow, {}, { lease: { leaseMs: 5_000, renewEveryMs: 50 } });
    const requestsBefore = slow.stats.requests;
    const started = await coordinator.start({ trigger: 'cli', asOf: NOW });
    await waitFor(() => slow.stats.requests > requestsBefore + 3);

    // Act: another process fails the run (as it would after the lease lapsed)
    await db.dataSource.query(`update sync_runs set status = 'failed', finished_at = now(), error = 'test: taken over' where id = $1`,
      [started.run.id]);
    const verdict = await status(started.run.id);
    const run = await started.finished;

    // Assert: the run stopped reading long before the 61 reads a whole fetch takes, and committed nothing
    expect(run.status).toBe(SyncRunStatus.FAILED);
    expect(await status(started.run.id)).toEqual(verdict);
    expect(slow.stats.requests - requestsBefore).toBeLessThan(40);
    expect(await stagingAndResults(db)).toBe(before);
    const [scratch] = await db.dataSource.query(
      'select (select count(*) from calendly_incoming_events) + (select count(*) from calendly_incoming_invitees) as n');
    expect(Number(scratch.n)).toBe(0);
  });

  it('should start and finish the next run after a run lost its claim', async () => {
    const { coordinator } = coordinatorFor(db, fast, {}, { lease: { leaseMs: 5_000, renewEveryMs: 50 } });
    const started = await coordinator.start({ trigger: 'cli', asOf: NOW });
    await db.dataSource.query(`update sync_runs set status = 'failed', finished_at = now(), error = 'test: taken over' where id = $1`,
      [started.run.id]);
    await started.finished;

    const next = await syncOnce(coordinator);

    expect(next.id).toBeGreaterThan(started.run.id);
    expect(next.status).toBe(SyncRunStatus.SUCCEEDED);
  });

  it('should give two coordinators (two processes) one run when they start at once', async () => {
    // Arrange: on PostgreSQL the second process has its own connection pool
    const otherDb = db.kind === 'postgres' ? await openDatabase({ databaseUrl: db.url }) : db;
    try {
      const one = coordinatorFor(db, slow).coordinator;
      const two = coordinatorFor(otherDb, slow).coordinator;

      // Act
      const started = await Promise.all([one.start({ trigger: 'cli', asOf: NOW }), two.start({ trigger: 'api', asOf: NOW }),
        one.start({ trigger: 'cli', asOf: NOW })]);
      // A start during the run returns that run.
      const during = await two.start({ trigger: 'api', asOf: NOW });
      const runs = await Promise.all(started.map((s) => s.finished));

      // Assert
      expect(new Set([...started, during].map((s) => s.run.id)).size).toBe(1);
      expect(started.filter((s) => s.startedHere)).toHaveLength(1);
      expect(during.startedHere).toBe(false);
      expect(runs.map((run) => run.status)).toEqual([SyncRunStatus.SUCCEEDED, SyncRunStatus.SUCCEEDED, SyncRunStatus.SUCCEEDED]);
    } finally {
      if (otherDb !== db) await otherDb.close();
    }
  });
});
