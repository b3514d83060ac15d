import { Client } from 'pg';
import type { QueryRunner } from 'typeorm';
import { SyncRunStatus } from '../../../entities';
import { openDatabase, type Database } from '../../../src/db/data-source';
import { startSimulator, type Simulator } from '../../../src/simulator/simulator.server';
import * as runModelsModule from '../../../src/sql-runner/run-models';
import type { StartedSync } from '../../../src/sync/sync-coordinator';
import { openTestDatabase } from '../../helpers/test-db';
import { coordinatorFor, NOW, syncOnce } from './sync-test.helper';

// pg_terminate_backend needs a server; PGlite has one in-process connection and nothing to terminate.
const onPostgres = process.env.DATABASE_URL ? it : it.skip;
const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

interface RunWatch {
  /** The most `running` rows seen at once. */
  maxRunning: number;
  /** Every status each run was seen in, in order, repeats collapsed. */
  history: Map<number, string[]>;
}

describe('a sync whose database connections are terminated (PostgreSQL)', () => {
  let db: Database & { url?: string };
  let otherDb: Database;
  let admin: Client;
  let slow: Simulator;
  const unhandled: unknown[] = [];
  const onUnhandled = (reason: unknown) => unhandled.push(reason);

  beforeAll(async () => {
    if (!process.env.DATABASE_URL) return;
    [db, slow] = await Promise.all([
      openTestDatabase(),
      startSimulator({ seed: 9, events: 60, now: NOW, invalidRecords: false, latencyMs: 100 }),
    ]);
    // Another process on the same database: its own pool, same application_name.
    otherDb = await openDatabase({ databaseUrl: db.url });
    // The test's own connection has another application_name, so it survives the terminations.
    admin = new Client({ connectionString: db.url, application_name: 'calendly-sync-test-admin' });
    await admin.connect();
    process.on('unhandledRejection', onUnhandled);
  });

  afterAll(async () => {
    process.off('unhandledRejection', onUnhandled);
    await admin?.end();
    await otherDb?.close();
    await db?.close();
    await slow?.close();
  });

  /** What a PostgreSQL restart or a pooler does to the service: every connection of this test database dropped. */
  async function terminateAppConnections(except?: number): Promise<number> {
    const result = await admin.query(
      `select pg_terminate_backend(pid) from pg_stat_activity
       where datname = current_database() and application_name = 'calendly-sync' and pid <> coalesce($1, 0)`, [except ?? null]);
    return result.rowCount ?? 0;
  }

  function watchRuns(): { stop(): Promise<RunWatch> } {
    const watch: RunWatch = { maxRunning: 0, history: new Map() };
    let stopped = false;
    const loop = (async () => {
      while (!stopped) {
        const { rows } = await admin.query<{ id: number; status: string }>('select id, status from sync_runs');
        watch.maxRunning = Math.max(watch.maxRunning, rows.filter((row) => row.status === 'running').length);
        for (const row of rows) {
          const seen = watch.history.get(row.id) ?? [];
          if (seen.at(-1) !== row.status) watch.history.set(row.id, [...seen, row.status]);
        }
        await sleep(5);
      }
    })();
    return {
      async stop() {
        stopped = true;
        await loop;
        return watch;
      },
    };
  }

  async function waitUntilIdle(): Promise<void> {
    for (let i = 0; i < 300; i += 1) {
      const { rows } = await admin.query(`select count(*)::int as n from sync_runs where status = 'running'`);
      if (rows[0].n === 0) return;
      await sleep(100);
    }
    throw new Error('a run is still running');
  }

  /** The invariants of the single-run guard, whatever the order of events was. */
  async function expectOneRunAtATime(watch: RunWatch): Promise<void> {
    expect(watch.maxRunning).toBeLessThanOrEqual(1);
    for (const statuses of watch.history.values()) {
      // A run is running, then ends once: nobody overwrites a verdict.
      expect(statuses.slice(1).every((status) => status !== 'running')).toBe(true);
      expect(statuses.filter((status) => status !== 'running').length).toBeLessThanOrEqual(1);
    }
    const { rows: runs } = await admin.query<{ id: number; status: string; started_at: Date; finished_at: Date }>(
      'select id, status, started_at, finished_at from sync_runs order by id');
    for (const run of runs.filter((r) => r.status === 'failed')) {
      // A failed run merged nothing: no landing row carries its id.
      const { rows } = await admin.query(`select (select count(*) from calendly_scheduled_events where last_seen_run_id = $1)
        + (select count(*) from calendly_event_invitees where last_seen_run_id = $1) as n`, [run.id]);
      expect({ run: run.id, merged: Number(rows[0].n) }).toEqual({ run: run.id, merged: 0 });
    }
    const succeeded = runs.filter((r) => r.status === 'succeeded');
    for (let i = 1; i < succeeded.length; i += 1) {
      expect(succeeded[i].started_at.getTime()).toBeGreaterThanOrEqual(succeeded[i - 1].finished_at.getTime());
    }
    expect(unhandled).toEqual([]);
  }

  /** Both processes can sync again afterwards. */
  async function expectNextRunsSucceed(...coordinators: ReturnType<typeof coordinatorFor>[]): Promise<void> {
    for (const { coordinator } of coordinators) {
      await waitUntilIdle();
      const next = await syncOnce(coordinator);
      expect(next.status).toBe(SyncRunStatus.SUCCEEDED);
    }
  }

  const lease = { leaseMs: 1_500, renewEveryMs: 100 };

  onPostgres('should never run two syncs when every connection drops mid-fetch and another process claims', async () => {
    // Arrange
    const one = coordinatorFor(db, slow, {}, { lease });
    const two = coordinatorFor(otherDb, slow, {}, { lease });
    const watch = watchRuns();
    const requestsBefore = slow.stats.requests;
    const first = await one.coordinator.start({ trigger: 'schedule', asOf: NOW });
    while (slow.stats.requests < requestsBefore + 6) await sleep(10);

    // Act
    expect(await terminateAppConnections()).toBeGreaterThan(0);
    await sleep(200);
    const second = await two.coordinator.start({ trigger: 'api', asOf: NOW });
    const runs = await Promise.all([first.finished, second.finished]);

    // Assert
    expect(runs.every((run) => run.status !== SyncRunStatus.RUNNING)).toBe(true);
    await expectNextRunsSucceed(one, two);
    await expectOneRunAtATime(await watch.stop());
  });

  onPostgres('should fail the run, and keep the process able to sync, when every connection drops mid-models', async () => {
    // Arrange
    const one = coordinatorFor(db, slow, {}, { lease });
    const two = coordinatorFor(otherDb, slow, {}, { lease });
    const watch = watchRuns();
    let second: Promise<StartedSync> | undefined;
    const runModels = runModelsModule.runModels;
    jest.spyOn(runModelsModule, 'runModels').mockImplementationOnce(async (...args) => {
      await terminateAppConnections();
      await sleep(200);
      second = two.coordinator.start({ trigger: 'api', asOf: NOW });
      await second;
      return runModels(...args);
    });

    // Act
    const first = await (await one.coordinator.start({ trigger: 'schedule', asOf: NOW })).finished;
    const other = await (await second!).finished;

    // Assert
    expect(first.status).toBe(SyncRunStatus.FAILED);
    expect(other.status).not.toBe(SyncRunStatus.RUNNING);
    await expectNextRunsSucceed(one, two);
    await expectOneRunAtATime(await watch.stop());
  });

  onPostgres('should let the run that holds its row commit, and no other start, when its other connections drop and its lease lapses mid-models', async () => {
    // Arrange: the lease lapses while the models run, and only the committing connection survives
    const one = coordinatorFor(db, slow, {}, { lease: { leaseMs: 300, renewEveryMs: 100 } });
    const two = coordinatorFor(otherDb, slow, {}, { lease });
    const watch = watchRuns();
    let second: StartedSync | undefined;
    const runModels = runModelsModule.runModels;
    jest.spyOn(runModelsModule, 'runModels').mockImplementationOnce(async (runner: QueryRunner, ...rest) => {
      const [{ pid }] = await runner.query('select pg_backend_pid() as pid');
      await terminateAppConnections(pid);
      await sleep(600);
      second = await two.coordinator.start({ trigger: 'api', asOf: NOW });
      return runModels(runner, ...rest);
    });

    // Act
    const started = await one.coordinator.start({ trigger: 'schedule', asOf: NOW });
    const first = await started.finished;
    await second!.finished;

    // Assert: the other process got the run under way, not a second run
    expect(first.status).toBe(SyncRunStatus.SUCCEEDED);
    expect(second).toMatchObject({ startedHere: false, run: { id: started.run.id } });
    await expectNextRunsSucceed(one, two);
    await expectOneRunAtATime(await watch.stop());
  });
});
