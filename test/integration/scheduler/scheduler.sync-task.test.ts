import schedule from 'node-schedule';
import { Client } from 'pg';
import { SyncRun, SyncRunStatus } from '../../../entities';
import { openDatabase, type Database } from '../../../src/db/data-source';
import { Scheduler } from '../../../src/scheduler/scheduler';
import { createSyncTask } from '../../../src/scheduler/sync.task';
import { startSimulator, type Simulator } from '../../../src/simulator/simulator.server';
import { SyncCoordinator } from '../../../src/sync/sync-coordinator';
import { openTestDatabase } from '../../helpers/test-db';
import { silentLogger, testConfig } from '../../api/support/test-app';

const EVERY_SECOND = '* * * * * *';
// The sync task is registered as the service registers it, on a schedule that does not come round
// during a test; the test fires it by hand (Scheduler.fireNow), so each firing happens when it says.
const ONCE_A_YEAR = '0 0 0 1 1 *';
const SYNC_TASK = 'calendly-sync';
const onPostgres = process.env.DATABASE_URL ? it : it.skip;
const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

describe('scheduler and the calendly-sync task', () => {
  let db: Database & { url?: string };
  let simulator: Simulator;
  const schedulers: Scheduler[] = [];

  beforeAll(async () => {
    [db, simulator] = await Promise.all([openTestDatabase(), startSimulator({ seed: 11, events: 30, latencyMs: 40 })]);
  });

  afterEach(async () => {
    for (const scheduler of schedulers.splice(0)) {
      scheduler.stop();
      await scheduler.idle();
    }
    jest.useRealTimers();
    // Leak guard: no job may outlive its test.
    expect(Object.keys(schedule.scheduledJobs)).toEqual([]);
  });

  afterAll(async () => {
    await db?.close();
    await simulator?.close();
  });

  function newScheduler(): Scheduler {
    const scheduler = new Scheduler(silentLogger());
    schedulers.push(scheduler);
    return scheduler;
  }

  it('should report a failing task and keep firing it', async () => {
    // Arrange: node-schedule on Jest's fake clock, so each second comes round when the test says
    jest.useFakeTimers({ now: new Date('2026-03-01T12:00:00.000Z') });
    let executions = 0;
    newScheduler().register({
      id: 'failing', schedule: EVERY_SECOND, timeout: 60_000,
      async execute() {
        executions += 1;
        throw new Error('boom');
      },
    });

    // Act
    await jest.advanceTimersByTimeAsync(999);
    const beforeTheFirstSecond = executions;
    await jest.advanceTimersByTimeAsync(1001);

    // Assert: fired at 12:00:01 and again at 12:00:02, though the first execution failed
    expect(beforeTheFirstSecond).toBe(0);
    expect(executions).toBe(2);
  });

  it('should register nothing when SYNC_CRON is off', () => {
    const coordinator = new SyncCoordinator({ db, config: testConfig(), logger: silentLogger() });
    expect(createSyncTask({ config: testConfig({ SYNC_CRON: 'off' }), coordinator, logger: silentLogger() })).toBeUndefined();
  });

  it('should run scheduled syncs one at a time when two schedulers (two replicas) fire at once', async () => {
    // Arrange: on PostgreSQL the second replica has its own connection pool, as another process would
    const otherDb = db.kind === 'postgres' ? await openDatabase({ databaseUrl: db.url }) : db;
    const config = testConfig({ SYNC_CRON: ONCE_A_YEAR });
    const calendly = { baseUrl: simulator.url, apiKey: simulator.apiKey };
    const coordinators = [
      new SyncCoordinator({ db, config, logger: silentLogger(), calendly }),
      new SyncCoordinator({ db: otherDb, config, logger: silentLogger(), calendly }),
    ];
    const before = await db.dataSource.getRepository(SyncRun).count();

    try {
      const replicas = coordinators.map((coordinator) => {
        const scheduler = newScheduler();
        scheduler.register(createSyncTask({ config, coordinator, logger: silentLogger() })!);
        return scheduler;
      });

      // Act: both replicas fire together; a second time once the first firing's run has ended
      for (let round = 0; round < 2; round += 1) {
        await Promise.all(replicas.map((replica) => replica.fireNow(SYNC_TASK)));
      }
      for (const scheduler of replicas) scheduler.stop();
      await Promise.all(coordinators.map((coordinator) => coordinator.shutdown(10_000)));

      // Assert: one run per round
      const runs = (await db.dataSource.getRepository(SyncRun).find({ order: { id: 'ASC' } })).slice(before);
      expect(runs).toHaveLength(2);
      expect(runs.every((run) => run.trigger === 'schedule')).toBe(true);
      expect(runs.map((run) => run.status)).toEqual([SyncRunStatus.SUCCEEDED, SyncRunStatus.SUCCEEDED]);
      expect(runs.filter((run) => run.status === SyncRunStatus.RUNNING)).toEqual([]);
      for (let i = 1; i < runs.length; i += 1) {
        // Each run starts after the previous one finished: never two at once.
        expect(runs[i].startedAt.getTime()).toBeGreaterThanOrEqual(runs[i - 1].finishedAt!.getTime());
      }
    } finally {
      if (otherDb !== db) await otherDb.close();
    }
  });

  /** Fires the sync task on its own coordinator, takes the claim from the run it started, then fires until a later run succeeds. */
  async function nextRunAfterLosingTheClaim(loseClaim: (runId: number) => Promise<void>): Promise<{ lost: number; next: SyncRun[] }> {
    const config = testConfig({ SYNC_CRON: ONCE_A_YEAR });
    // On PostgreSQL the coordinator gets a pool of its own, as the service has.
    const appDb = db.kind === 'postgres' ? await openDatabase({ databaseUrl: db.url }) : db;
    const coordinator = new SyncCoordinator({ db: appDb, config, logger: silentLogger(), lease: { leaseMs: 5_000, renewEveryMs: 50 },
      calendly: { baseUrl: simulator.url, apiKey: simulator.apiKey } });
    const repository = db.dataSource.getRepository(SyncRun);
    const [{ max: before }] = await db.dataSource.query('select coalesce(max(id), 0) as max from sync_runs');
    try {
      const scheduler = newScheduler();
      scheduler.register(createSyncTask({ config, coordinator, logger: silentLogger() })!);
      const firing = scheduler.fireNow(SYNC_TASK);
      let lost: SyncRun | null = null;
      while (!lost) {
        lost = await repository.createQueryBuilder('r').where('r.id > :before and r.status = :running', { before, running: 'running' })
          .getOne().catch(() => null);
        await sleep(20);
      }
      await loseClaim(lost.id);
      await firing;
      // Later firings, as the schedule would bring them; one finds the claim free once the lost run has let go of it.
      const deadline = Date.now() + 30_000;
      let next: SyncRun[] = [];
      while (Date.now() < deadline && !next.some((run) => run.status === SyncRunStatus.SUCCEEDED)) {
        await scheduler.fireNow(SYNC_TASK);
        next = await repository.createQueryBuilder('r').where('r.id > :id', { id: lost.id }).orderBy('r.id').getMany().catch(() => next);
        if (!next.some((run) => run.status === SyncRunStatus.SUCCEEDED)) await sleep(100);
      }
      scheduler.stop();
      await scheduler.idle();
      await coordinator.shutdown(10_000);
      return { lost: lost.id, next };
    } finally {
      if (appDb !== db) await appDb.close();
    }
  }
  it('should start a new scheduled run after a run lost its claim to another process', async () => {
    const { lost, next } = await nextRunAfterLosingTheClaim(async (runId) => {
      await db.dataSource.query(`update sync_runs set status = 'failed', finished_at = now(), error = 'test: taken over' where id = $1`, [runId]);
    });

    const [row] = await db.dataSource.query('select status, error from sync_runs where id = $1', [lost]);
    expect(row).toEqual({ status: 'failed', error: 'test: taken over' });
    expect(next.map((run) => run.status)).toContain(SyncRunStatus.SUCCEEDED);
  });

  onPostgres('should start a new scheduled run after the connections of a run were terminated (PostgreSQL)', async () => {
    const admin = new Client({ connectionString: db.url, application_name: 'calendly-sync-test-admin' });
    await admin.connect();
    try {
      const { lost, next } = await nextRunAfterLosingTheClaim(async () => {
        await sleep(300);
        await admin.query(`select pg_terminate_backend(pid) from pg_stat_activity
          where datname = current_database() and application_name = 'calendly-sync'`);
      });

      const { rows: [row] } = await admin.query('select status from sync_runs where id = $1', [lost]);
      expect(row.status).not.toBe('running');
      expect(next.map((run) => run.status)).toContain(SyncRunStatus.SUCCEEDED);
    } finally {
      await admin.end();
    }
  });
});
