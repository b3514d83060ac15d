import { SyncRun, SyncRunStatus } from '../../entities';
import { openDatabase, type Database } from '../../src/db/data-source';
import { startApp, type App } from '../../src/server/start-app';
import { startSimulator, type Simulator } from '../../src/simulator/simulator.server';
import { openTestDatabase } from '../helpers/test-db';
import { dataOf, gql, silentLogger, testConfig } from './support/test-app';

/** The fields of a run these tests read. */
interface SyncRunView {
  id: string;
  status: string;
  windowStart: string;
  windowEnd: string;
  eventsProcessed: number;
  finishedAt: string;
}
type Triggered = { triggerSync: SyncRunView };

const TRIGGER = 'mutation($input: TriggerSyncInput) { triggerSync(input: $input) { id status trigger windowStart windowEnd } }';
const onPostgres = process.env.DATABASE_URL ? it : it.skip;

async function waitUntilIdle(db: Database, timeoutMs = 20_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (Date.now() < deadline) {
    const [row] = await db.dataSource.query(`select count(*)::int as running from sync_runs where status = 'running'`);
    if (row.running === 0) return;
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
  throw new Error('a sync run is still running');
}

describe('triggerSync and sync runs over HTTP', () => {
  let db: Database & { url?: string };
  let simulator: Simulator;
  let slowSimulator: Simulator;
  let app: App;

  beforeAll(async () => {
    [db, simulator, slowSimulator] = await Promise.all([
      openTestDatabase(),
      startSimulator({ seed: 7, events: 30, latencyMs: 0 }),
      // Slow enough that a run is still going when the test acts on it.
      startSimulator({ seed: 8, events: 30, latencyMs: 150 }),
    ]);
    app = await startApp({ config: testConfig(), db, logger: silentLogger(), calendly: { baseUrl: simulator.url, apiKey: simulator.apiKey } });
  });

  /** Triggers a run once none is under way and waits for its end; its id. */
  async function runToTheEnd(): Promise<string> {
    await waitUntilIdle(db);
    const response = await gql<Triggered>(app.url, TRIGGER);
    await waitUntilIdle(db);
    return dataOf(response).triggerSync.id;
  }

  afterAll(async () => {
    await app?.close();
    await db?.close();
    await simulator?.close();
    await slowSimulator?.close();
  });

  it('should return the new run at once with status RUNNING and record it as succeeded when it ends', async () => {
    // Act
    const response = await gql<Triggered>(app.url, TRIGGER, { input: { lookbackDays: 30, lookaheadDays: 10 } });

    // Assert
    expect(response.errors).toBeUndefined();
    const run = dataOf(response).triggerSync;
    expect(run).toMatchObject({ status: 'RUNNING', trigger: 'api' });
    const windowDays = (Date.parse(run.windowEnd) - Date.parse(run.windowStart)) / 86_400_000;
    expect(windowDays).toBeCloseTo(40, 5);

    await waitUntilIdle(db);
    const byId = await gql<{ syncRun: SyncRunView }>(app.url, `{ syncRun(id: "${run.id}") { id status eventsProcessed inviteesProcessed customersUpdated finishedAt error } }`);
    expect(byId.data?.syncRun).toMatchObject({ id: run.id, status: 'SUCCEEDED', error: null });
    expect(byId.data?.syncRun.eventsProcessed).toBeGreaterThan(0);
    expect(Date.parse(dataOf(byId).syncRun.finishedAt)).not.toBeNaN();

    const customers = await gql<{ customers: { totalCount: number } }>(app.url, '{ customers(first: 1) { totalCount } }');
    expect(customers.data?.customers.totalCount).toBeGreaterThan(0);
  });

  it('should give every caller the same run when five triggers arrive at once', async () => {
    // Act
    const responses = await Promise.all(Array.from({ length: 5 }, () => gql<Triggered>(app.url, TRIGGER)));

    // Assert
    const ids = new Set(responses.map((r) => r.data?.triggerSync.id));
    expect(responses.map((r) => r.errors)).toEqual([undefined, undefined, undefined, undefined, undefined]);
    expect(ids.size).toBe(1);
    await waitUntilIdle(db);
    const [row] = await db.dataSource.query(`select count(*)::int as runs from sync_runs where id = $1`, [Number([...ids][0])]);
    expect(row.runs).toBe(1);
  });

  it.each([
    ['lookbackDays', { lookbackDays: 0 }],
    ['lookbackDays', { lookbackDays: 366 }],
    ['lookaheadDays', { lookaheadDays: 400 }],
  ])('should answer BAD_USER_INPUT naming %s when it is outside 1..365', async (field, input) => {
    // Arrange
    const before = await db.dataSource.query('select count(*)::int as runs from sync_runs');

    // Act
    const response = await gql(app.url, TRIGGER, { input });

    // Assert
    expect(response.errors?.[0].extensions).toMatchObject({ code: 'BAD_USER_INPUT', validationErrors: [{ property: field }] });
    expect(response.errors?.[0].message).toContain(field);
    expect(await db.dataSource.query('select count(*)::int as runs from sync_runs')).toEqual(before);
  });

  it('should answer BAD_USER_INPUT when a day count is not an integer', async () => {
    const response = await gql(app.url, TRIGGER, { input: { lookaheadDays: 'ten' } });
    expect(response.errors?.[0].extensions?.code).toBe('BAD_USER_INPUT');
  });

  it('should list runs newest first and answer null for an unknown id', async () => {
    // Arrange: two finished runs of this test's own, whatever ran before it
    const older = await runToTheEnd();
    const newer = await runToTheEnd();

    // Act
    const runs = await gql<{ syncRuns: SyncRunView[] }>(app.url, '{ syncRuns(first: 2) { id status startedAt } }');
    const unknown = await gql(app.url, '{ a: syncRun(id: "999999") { id } b: syncRun(id: "x") { id } c: syncRun(id: "99999999999") { id } }');

    // Assert
    expect(runs.data?.syncRuns).toHaveLength(2);
    expect(Number(runs.data?.syncRuns[0].id)).toBeGreaterThan(Number(runs.data?.syncRuns[1].id));
    expect(runs.data?.syncRuns.map((run) => run.id)).toEqual([newer, older]);
    expect(unknown.data).toEqual({ a: null, b: null, c: null });
  });

  it('should mark a run left running by a dead process as failed when the app starts', async () => {
    // Arrange: a row as a crashed process leaves it (no lock held by anyone)
    await waitUntilIdle(db);
    const [{ id }] = await db.dataSource.query(`insert into sync_runs (trigger, status, as_of, window_start, window_end)
      values ('schedule', 'running', now(), now() - interval '90 days', now() + interval '90 days') returning id`);

    // Act
    const restarted = await startApp({ config: testConfig(), db, logger: silentLogger(), calendly: { baseUrl: simulator.url, apiKey: simulator.apiKey } });
    await restarted.close();

    // Assert
    const run = await db.dataSource.getRepository(SyncRun).findOneByOrFail({ id });
    expect(run.status).toBe(SyncRunStatus.FAILED);
    expect(run.finishedAt).not.toBeNull();
  });

  it('should leave no running row when the app shuts down during a run', async () => {
    // Arrange
    await waitUntilIdle(db);
    const slow = await startApp({ config: testConfig({ SHUTDOWN_TIMEOUT_MS: '50' }), db, logger: silentLogger(),
      calendly: { baseUrl: slowSimulator.url, apiKey: slowSimulator.apiKey } });
    const response = await gql<Triggered>(slow.url, TRIGGER);
    expect(response.data?.triggerSync.status).toBe('RUNNING');

    // Act
    await slow.close();

    // Assert
    const running = await db.dataSource.query(`select id from sync_runs where status = 'running'`);
    expect(running).toEqual([]);
    const run = await db.dataSource.getRepository(SyncRun).findOneByOrFail({ id: Number(response.data?.triggerSync.id) });
    expect(run.status).toBe(SyncRunStatus.FAILED);
  });

  onPostgres('should start one run when two app instances on one database are triggered at once (PostgreSQL)', async () => {
    // Arrange: a second process is simulated by a second connection pool and app
    await waitUntilIdle(db);
    const otherDb = await openDatabase({ databaseUrl: db.url });
    const calendly = { baseUrl: slowSimulator.url, apiKey: slowSimulator.apiKey };
    const [one, two] = await Promise.all([
      startApp({ config: testConfig(), db, logger: silentLogger(), calendly }),
      startApp({ config: testConfig(), db: otherDb, logger: silentLogger(), calendly }),
    ]);
    try {
      // Act
      const responses = await Promise.all([one, two, one, two].map((instance) => gql<Triggered>(instance.url, TRIGGER)));

      // Assert
      const ids = new Set(responses.map((r) => r.data?.triggerSync.id));
      expect(ids.size).toBe(1);
      await waitUntilIdle(db, 30_000);
      const [row] = await db.dataSource.query('select count(*)::int as runs from sync_runs where id >= $1', [Number([...ids][0])]);
      expect(row.runs).toBe(1);
    } finally {
      await Promise.all([one.close(), two.close()]);
      await otherDb.close();
    }
  });
});
