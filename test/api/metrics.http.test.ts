import type { Database } from '../../src/db/data-source';
import { startApp, type App } from '../../src/server/start-app';
import { startSimulator } from '../../src/simulator/simulator.server';
import { openTestDatabase } from '../helpers/test-db';
import { errorCode, gql, rawRequest, silentLogger, testConfig } from './support/test-app';

const SERIES = [
  'calendly_sync_runs',
  'calendly_sync_last_run_duration_seconds',
  'calendly_sync_last_success_age_seconds',
  'calendly_sync_rows_landed_total',
  'calendly_sync_rows_refused_total',
  'calendly_sync_calendly_requests_total',
  'calendly_sync_calendly_rate_limit_waits_total',
  'calendly_sync_webhook_deliveries_total',
  'calendly_sync_graphql_requests_total',
  'calendly_sync_graphql_request_duration_seconds',
];

/** The value of one sample line, e.g. `name{a="b"} 3`. */
function sample(text: string, series: string): number | undefined {
  const line = text.split('\n').find((candidate) => candidate.startsWith(`${series} `));
  return line === undefined ? undefined : Number(line.slice(series.length + 1));
}

describe('GET /metrics', () => {
  let db: Database;
  let open: App;
  let guarded: App;

  beforeAll(async () => {
    db = await openTestDatabase();
    await db.dataSource.query(`insert into sync_runs (trigger, status, as_of, window_start, window_end, started_at, finished_at,
        events_processed, invitees_processed, records_rejected)
      values ('schedule', 'succeeded', now(), now(), now(), now() - interval '70 seconds', now() - interval '10 seconds', 10, 25, 3),
             ('api', 'failed', now(), now(), now(), now() - interval '5 seconds', now(), 4, 0, 1),
             ('schedule', 'succeeded', now(), now(), now(), now() - interval '2 hours', now() - interval '119 minutes', 1, 1, 0)`);
    // Two apps in one process: each has its own registry, so neither refuses to register its series.
    open = await startApp({ config: testConfig(), db, logger: silentLogger() });
    guarded = await startApp({ config: testConfig({ API_TOKEN: 'metrics-token' }), db, logger: silentLogger() });
  });

  afterAll(async () => {
    await open?.close();
    await guarded?.close();
    await db?.close();
  });

  it('should answer Prometheus text with every series of interfaces.md, documented', async () => {
    const response = await rawRequest(`${open.origin}/metrics`);
    expect(response.status).toBe(200);
    expect(response.headers['content-type']).toMatch(/^text\/plain; version=0\.0\.4/);
    for (const series of SERIES) expect(response.body).toContain(`# HELP ${series} `);
  });

  it('should read runs, durations, rows and the last success from sync_runs', async () => {
    const { body } = await rawRequest(`${open.origin}/metrics`);

    expect(sample(body, 'calendly_sync_runs{trigger="schedule",status="succeeded"}')).toBe(2);
    expect(sample(body, 'calendly_sync_runs{trigger="api",status="failed"}')).toBe(1);
    expect(sample(body, 'calendly_sync_last_run_duration_seconds{trigger="schedule"}')).toBeCloseTo(60, 3);
    expect(sample(body, 'calendly_sync_last_run_duration_seconds{trigger="api"}')).toBeCloseTo(5, 3);
    // Succeeded runs only: (10 + 25 - 3) + (1 + 1 - 0) landed, 3 + 0 refused.
    expect(sample(body, 'calendly_sync_rows_landed_total')).toBe(34);
    expect(sample(body, 'calendly_sync_rows_refused_total')).toBe(3);
    const age = sample(body, 'calendly_sync_last_success_age_seconds');
    expect(age).toBeGreaterThanOrEqual(10);
    expect(age).toBeLessThan(120);
  });

  it('should count GraphQL requests and their latency by operation', async () => {
    // Act
    await gql(open.url, '{ syncRuns { id } }');
    await gql(open.url, 'query Named { syncRuns { id } customers(first: 1) { nodes { email } } }');
    await gql(open.url, '{ nope }');
    const { body } = await rawRequest(`${open.origin}/metrics`);

    // Assert
    expect(sample(body, 'calendly_sync_graphql_requests_total{operation="syncRuns",outcome="ok"}')).toBe(1);
    expect(sample(body, 'calendly_sync_graphql_requests_total{operation="customers+syncRuns",outcome="ok"}')).toBe(1);
    expect(sample(body, 'calendly_sync_graphql_requests_total{operation="-",outcome="error"}')).toBe(1);
    expect(sample(body, 'calendly_sync_graphql_request_duration_seconds_count{operation="syncRuns"}')).toBe(1);
  });

  it('should sit behind API_TOKEN when one is set', async () => {
    const missing = await rawRequest(`${guarded.origin}/metrics`);
    const right = await rawRequest(`${guarded.origin}/metrics`, { headers: { authorization: 'Bearer metrics-token' } });

    expect(missing.status).toBe(401);
    expect(errorCode(missing)).toBe('UNAUTHENTICATED');
    expect(right.status).toBe(200);
    expect(right.body).toContain('calendly_sync_runs');
  });

  it('should keep each app\'s counters to itself', async () => {
    await gql(guarded.url, '{ alerts { totalCount } }', undefined, { authorization: 'Bearer metrics-token' });
    const { body } = await rawRequest(`${open.origin}/metrics`);
    expect(body).not.toContain('operation="alerts"');
  });
});

describe('GET /metrics after a sync', () => {
  it('should count the Calendly requests the run sent, by status, and its rate-limit waits', async () => {
    // Arrange: a small organisation whose first request is answered 429
    const db = await openTestDatabase();
    const simulator = await startSimulator({ seed: 3, events: 30, faults: { rateLimitFirst: 1, rateLimitResetSeconds: 0.05 } });
    const app = await startApp({ config: testConfig({ CALENDLY_RATE_LIMIT_PER_MINUTE: '600000' }), db, logger: silentLogger(),
      calendly: { baseUrl: simulator.url, apiKey: simulator.apiKey } });
    try {
      // Act
      const run = await (await app.coordinator.start({ trigger: 'api' })).finished;
      const { body } = await rawRequest(`${app.origin}/metrics`);

      // Assert
      expect(run.status).toBe('succeeded');
      expect(sample(body, 'calendly_sync_calendly_requests_total{status="429"}')).toBe(1);
      expect(sample(body, 'calendly_sync_calendly_requests_total{status="200"}')).toBe(simulator.stats.requests - 1);
      expect(sample(body, 'calendly_sync_calendly_rate_limit_waits_total')).toBeGreaterThanOrEqual(1);
    } finally {
      await app.close();
      await simulator.close();
      await db.close();
    }
  });
});
