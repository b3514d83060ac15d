import schedule from 'node-schedule';
import { SyncRun, SyncRunStatus } from '../../../entities';
import { openDatabase, type Database } from '../../../src/db/data-source';
import { Scheduler } from '../../../src/scheduler/scheduler';
import type { ScheduledTask } from '../../../src/scheduler/scheduled-task';
import { createSyncTask } from '../../../src/scheduler/sync.task';
import { startSimulator, type Simulator } from '../../../src/simulator/simulator.server';
import { SyncCoordinator } from '../../../src/sync/sync-coordinator';
import { openTestDatabase } from '../../helpers/test-db';
import { silentLogger, testConfig } from '../../api/support/test-app';

const EVERY_SECOND = '* * * * * *';
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

  it('should skip a firing while the previous execution of an overlap-protected task is still going', async () => {
    // Arrange
    let running = 0;
    let maxRunning = 0;
    let executions = 0;
    const task: ScheduledTask = {
      id: 'slow', schedule: EVERY_SECOND, timeout: 60_000, preventOverlap: true,
      async execute() {
        executions += 1;
        running += 1;
        maxRunning = Math.max(maxRunning, running);
        await sleep(2500);
        running -= 1;
      },
    };

    // Act: watch the two firings that come while the first execution runs
    newScheduler().register(task);
    while (executions === 0) await sleep(20);
    await sleep(2200);

    // Assert
    expect(executions).toBe(1);
    expect(maxRunning).toBe(1);
  });

  it('should report a failing task and keep firing it', async () => {
    let executions = 0;
    newScheduler().register({
      id: 'failing', schedule: EVERY_SECOND, timeout: 60_000, preventOverlap: true,
      async execute() {
        executions += 1;
        throw new Error('boom');
      },
    });
    await sleep(2300);
    expect(executions).toBeGreaterThanOrEqual(2);
  });

  it('should register nothing when SYNC_CRON is off', () => {
    const coordinator = new SyncCoordinator({ db, config: testConfig(), logger: silentLogger() });
    expect(createSyncTask({ config: testConfig({ SYNC_CRON: 'off' }), coordinator, logger: silentLogger() })).toBeUndefined();
  });

  it('should run scheduled syncs one at a time when two schedulers (two replicas) fire every second', async () => {
    // Arrange: on PostgreSQL the second replica has its own connection pool, as another process would
    const otherDb = db.kind === 'postgres' ? await openDatabase({ databaseUrl: db.url }) : db;
    const config = testConfig({ SYNC_CRON: EVERY_SECOND });
    const calendly = { baseUrl: simulator.url, apiKey: simulator.apiKey };
    const coordinators = [
      new SyncCoordinator({ db, config, logger: silentLogger(), calendly }),
      new SyncCoordinator({ db: otherDb, config, logger: silentLogger(), calendly }),
    ];
    const before = await db.dataSource.getRepository(SyncRun).count();

    try {
      // Act
      for (const coordinator of coordinators) {
        newScheduler().register(createSyncTask({ config, coordinator, logger: silentLogger() })!);
      }
      // Two finished runs show the schedule firing again after a run; a loaded machine may need a while.
      const deadline = Date.now() + 40_000;
      while (Date.now() < deadline) {
        const [row] = await db.dataSource.query(`select count(*)::int as done from sync_runs where status <> 'running'`);
        if (row.done - before >= 2) break;
        await sleep(250);
      }
      // Let the run under way finish, then nothing may be left running.
      for (const scheduler of schedulers) scheduler.stop();
      await Promise.all(schedulers.map((scheduler) => scheduler.idle()));
      await Promise.all(coordinators.map((coordinator) => coordinator.shutdown(10_000)));

      // Assert
      const runs = (await db.dataSource.getRepository(SyncRun).find({ order: { id: 'ASC' } })).slice(before);
      expect(runs.length).toBeGreaterThanOrEqual(2);
      expect(runs.every((run) => run.trigger === 'schedule')).toBe(true);
      expect(runs.filter((run) => run.status === SyncRunStatus.SUCCEEDED).length).toBeGreaterThanOrEqual(1);
      expect(runs.filter((run) => run.status === SyncRunStatus.RUNNING)).toEqual([]);
      for (let i = 1; i < runs.length; i += 1) {
        // Each run starts after the previous one finished: never two at once.
        expect(runs[i].startedAt.getTime()).toBeGreaterThanOrEqual(runs[i - 1].finishedAt!.getTime());
      }
    } finally {
      if (otherDb !== db) await otherDb.close();
    }
  });
});
