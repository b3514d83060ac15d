import { spawn, type ChildProcess } from 'node:child_process';
import http from 'node:http';
import { createServer } from 'node:net';
import { join } from 'node:path';
import autocannon from 'autocannon';
import { graphql } from 'graphql';
import { Pool } from 'pg';
import { DataSource, type Logger as OrmLogger } from 'typeorm';
import { ENTITIES } from '../entities';
import { createContext } from '../resolvers';
import { buildAppSchema } from '../src/server/build-schema';
import { AlertService } from '../src/services/alert.service';
import { CustomerService } from '../src/services/customer.service';
import { SyncRunService } from '../src/services/sync-run.service';
import { percentile, ratio, type BenchReport } from './bench-result';
import { databaseUrl } from './bench-db';

const STAGE = 'api';
const CONNECTIONS = 10;
const RATE = 200;
const RATED_SECONDS = 10;
const MAX_SECONDS = 5;

const CUSTOMER_QUERY = `query Customer($email: String!) {
  customer(email: $email) { email showRate totalCallsBooked callsNoShow nextCallDate lastCallDate calendlyHealthPoints
    scoreFactors { score factor points } alerts { alertType openedAt details } } }`;
const PAGE_QUERY = `query Page {
  customers(first: 50, filter: { showRateMax: 80, hasUpcomingCall: true }, orderBy: { field: HEALTH_POINTS, direction: ASC }) {
    nodes { email showRate totalCallsBooked nextCallDate calendlyHealthPoints alerts { alertType openedAt } }
    pageInfo { hasNextPage endCursor } } }`;

interface Statement { sql: string; params: unknown[] }
interface LoadResult { rps: number; p50: number; p99: number; count: number; errors: number }

/** The SQL the service issues for one GraphQL request, captured from TypeORM's logger while the real resolvers run. */
async function captureSql(url: string, source: string, variables: Record<string, unknown>): Promise<Statement[]> {
  const captured: Statement[] = [];
  const logger: OrmLogger = {
    logQuery: (sql, params) => { captured.push({ sql, params: (params as unknown[] | undefined) ?? [] }); },
    logQueryError: () => undefined, logQuerySlow: () => undefined, logSchemaBuild: () => undefined,
    logMigration: () => undefined, log: () => undefined,
  };
  const ds = new DataSource({ type: 'postgres', url, entities: ENTITIES, logging: ['query'], logger, poolSize: 1 });
  await ds.initialize();
  try {
    const alerts = new AlertService(ds);
    const schema = await buildAppSchema({
      customers: new CustomerService(ds), alerts,
      syncRuns: new SyncRunService(ds, { start: () => { throw new Error('not in the bench'); } }),
    });
    captured.length = 0;
    const result = await graphql({ schema, source, variableValues: variables, contextValue: createContext(alerts) });
    if (result.errors?.length) throw new Error(`capture query failed: ${result.errors[0].message}`);
    return [...captured];
  } finally {
    await ds.destroy();
  }
}

/**
 * Runs `send` from CONNECTIONS workers, at a fixed overall rate spread evenly over time (or
 * flat out when `rate` is unset); latency is from send to answer. `send` resolves true on success.
 */
async function pacedLoad(send: () => Promise<boolean>, rate: number | undefined, durationS: number): Promise<LoadResult> {
  const latencies: number[] = [];
  let errors = 0;
  let next = 0;
  const started = performance.now();
  const endAt = started + durationS * 1000;
  const worker = async () => {
    for (;;) {
      if (rate) {
        const due = started + (next++ * 1000) / rate;
        if (due >= endAt) return;
        const wait = due - performance.now();
        if (wait > 0) await new Promise((resolve) => setTimeout(resolve, wait));
      } else if (performance.now() >= endAt) return;
      const sent = performance.now();
      const ok = await send().catch(() => false);
      if (ok) latencies.push(performance.now() - sent);
      else errors += 1;
    }
  };
  await Promise.all(Array.from({ length: CONNECTIONS }, worker));
  const elapsed = (performance.now() - started) / 1000;
  return { rps: latencies.length / elapsed, p50: percentile(latencies, 50), p99: percentile(latencies, 99), count: latencies.length, errors };
}

/** The service's SQL straight through `pg`, statement after statement as the server issues it. */
function pgLoad(pool: Pool, statements: () => Statement[], rate: number | undefined, durationS: number): Promise<LoadResult> {
  return pacedLoad(async () => {
    for (const s of statements()) await pool.query(s.sql, s.params);
    return true;
  }, rate, durationS);
}

/**
 * One POST over a keep-alive agent; resolves with the status once the whole answer has arrived.
 */
function post(agent: http.Agent, target: URL, body: string): Promise<number> {
  return new Promise((resolve, reject) => {
    const req = http.request(target, { method: 'POST', agent, headers: { 'content-type': 'application/json', 'content-length': Buffer.byteLength(body) } },
      (res) => {
        res.on('data', () => undefined);
        res.on('end', () => resolve(res.statusCode ?? 0));
        res.on('error', reject);
      });
    req.on('error', reject);
    req.end(body);
  });
}

/**
 * The rated HTTP load, paced exactly like `pgLoad`: request n is due at n / rate s, taken by
 * whichever of the `CONNECTIONS` keep-alive connections is free. autocannon's `overallRate`
 * is not used here: it lets each connection send its whole per-second quota back to back at
 * the top of every second and then pause, so the server saw 200-request bursts at 10 in flight
 * while the pg side got an even 200 req/s, and the HTTP percentiles measured the bursts' queue.
 */
async function httpRatedLoad(url: string, body: () => string, rate: number, durationS: number): Promise<LoadResult> {
  const agent = new http.Agent({ keepAlive: true, maxSockets: CONNECTIONS });
  const target = new URL(url);
  try {
    return await pacedLoad(async () => (await post(agent, target, body())) === 200, rate, durationS);
  } finally {
    agent.destroy();
  }
}

function httpLoad(url: string, body: () => string, rate: number | undefined, durationS: number): Promise<LoadResult> {
  return new Promise((resolve, reject) => {
    const latencies: number[] = [];
    const instance = autocannon({
      url, connections: CONNECTIONS, duration: durationS, ...(rate ? { overallRate: rate } : {}),
      method: 'POST', headers: { 'content-type': 'application/json' },
      requests: [{ method: 'POST', setupRequest: (req) => ({ ...req, body: body() }) }],
    }, (error, result) => {
      if (error) return reject(error);
      resolve({ rps: latencies.length / result.duration, p50: percentile(latencies, 50), p99: percentile(latencies, 99),
        count: latencies.length, errors: result.errors + result.non2xx + result.timeouts });
    });
    // Raw response times, so both sides get the same percentile arithmetic (autocannon's histogram is whole ms).
    instance.on('response', (_client: unknown, status: number, _bytes: number, responseTime: number) => {
      if (status === 200) latencies.push(responseTime);
    });
  });
}

async function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer().listen(0, '127.0.0.1', () => {
      const { port } = server.address() as { port: number };
      server.close(() => resolve(port));
    }).on('error', reject);
  });
}

/** `npm start` as a child process (its own CPU, as deployed), on a loopback port, no scheduled sync. */
async function startServer(dbName: string): Promise<{ child: ChildProcess; url: string; stderr: () => string }> {
  const port = await freePort();
  let stderr = '';
  const child = spawn(process.execPath, [join(__dirname, '..', 'src', 'main.js')], {
    env: { ...process.env, DATABASE_URL: databaseUrl(dbName), HOST: '127.0.0.1', PORT: String(port), SYNC_CRON: 'off',
      CALENDLY_API_KEY: 'bench-unused', LOG_LEVEL: 'warn', API_TOKEN: '' },
    stdio: ['ignore', 'ignore', 'pipe'],
  });
  child.stderr!.on('data', (chunk: Buffer) => { stderr = (stderr + chunk.toString()).slice(-4000); });
  const origin = `http://127.0.0.1:${port}`;
  const deadline = Date.now() + 60_000;
  for (;;) {
    if (child.exitCode !== null) throw new Error(`server exited with ${child.exitCode}: ${stderr}`);
    try {
      if ((await fetch(`${origin}/healthz`)).ok) break;
    } catch { /* not listening yet */ }
    if (Date.now() > deadline) throw new Error(`server did not start in 60 s: ${stderr}`);
    await new Promise((resolve) => setTimeout(resolve, 200));
  }
  return { child, url: `${origin}/graphql`, stderr: () => stderr };
}

export async function apiStage(report: BenchReport, dbName: string): Promise<void> {
  const url = databaseUrl(dbName);
  const pool = new Pool({ connectionString: url, max: CONNECTIONS });
  const server = await startServer(dbName);
  try {
    const emails: string[] = (await pool.query(`select email from unified_customers where last_calendly_sync is not null
      order by md5(email) limit 5000`)).rows.map((r) => r.email);
    if (emails.length < 1000) throw new Error(`only ${emails.length} customers loaded`);
    const [{ count }] = (await pool.query('select count(*)::int as count from unified_customers')).rows;
    const pick = () => emails[Math.floor(Math.random() * emails.length)];

    const probe = await (await fetch(server.url, { method: 'POST', headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ query: CUSTOMER_QUERY, variables: { email: emails[0] } }) })).json() as { data?: { customer?: { email: string } }; errors?: unknown };
    if (probe.data?.customer?.email !== emails[0]) throw new Error(`customer(email) probe failed: ${JSON.stringify(probe).slice(0, 300)}`);
    const pageProbe = await (await fetch(server.url, { method: 'POST', headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ query: PAGE_QUERY }) })).json() as { data?: { customers?: { nodes: unknown[] } }; errors?: unknown };
    if (!pageProbe.data?.customers?.nodes.length) throw new Error(`customers page probe failed: ${JSON.stringify(pageProbe).slice(0, 300)}`);

    const customerSql = await captureSql(url, CUSTOMER_QUERY, { email: emails[0] });
    const pageSql = await captureSql(url, PAGE_QUERY, {});
    report.detail('api.sql', { customer: customerSql, page: pageSql, customers: count });
    // Replays the captured statements with another customer's email in place of the captured one.
    const customerStatements = () => {
      const email = pick();
      const swap = (v: unknown): unknown => (v === emails[0] ? email : Array.isArray(v) ? v.map(swap) : v);
      return customerSql.map((s) => ({ sql: s.sql, params: s.params.map(swap) }));
    };

    const cases = [
      { name: 'customer(email)', body: () => JSON.stringify({ query: CUSTOMER_QUERY, variables: { email: pick() } }), sql: customerStatements, target: true },
      { name: 'customers(first: 50) filtered+sorted', body: () => JSON.stringify({ query: PAGE_QUERY }), sql: () => pageSql, target: false },
    ];
    const results: Record<string, unknown> = {};
    for (const c of cases) {
      await httpLoad(server.url, c.body, undefined, 1); // warm-up (JIT, pool, plan cache)
      const rated = await httpRatedLoad(server.url, c.body, RATE, RATED_SECONDS);
      const ratedPg = await pgLoad(pool, c.sql, RATE, RATED_SECONDS);
      const max = await httpLoad(server.url, c.body, undefined, MAX_SECONDS);
      const maxPg = await pgLoad(pool, c.sql, undefined, MAX_SECONDS);
      results[c.name] = { rated, ratedPg, max, maxPg, statements: c.sql().length };
      const statements = `${c.sql().length} statement(s) per request through pg`;
      const errors = rated.errors + max.errors ? `; ${rated.errors + max.errors} HTTP errors` : '';
      report.add({
        stage: STAGE, figure: `${c.name} p50 at ${RATE} req/s`, value: rated.p50, unit: 'ms', baseline: ratedPg.p50,
        baselineLabel: `same SQL via pg, ${statements}`, ratio: ratio(rated.p50, ratedPg.p50), target: '', pass: null,
        note: `achieved ${rated.rps.toFixed(0)} req/s HTTP, ${ratedPg.rps.toFixed(0)} req/s pg; ${CONNECTIONS} connections${errors}`,
      });
      report.add({
        stage: STAGE, figure: `${c.name} p99 at ${RATE} req/s`, value: rated.p99, unit: 'ms', baseline: ratedPg.p99,
        baselineLabel: 'same SQL via pg', ratio: ratio(rated.p99, ratedPg.p99),
        target: c.target ? 'p99 < 10 ms' : '', pass: c.target ? rated.p99 < 10 : null,
      });
      report.add({
        stage: STAGE, figure: `${c.name} max throughput`, value: max.rps, unit: 'req/s', baseline: maxPg.rps,
        baselineLabel: 'same SQL via pg', ratio: ratio(maxPg.rps, max.rps), target: '', pass: null,
        note: `ratio = pg rps / HTTP rps; p50 ${max.p50.toFixed(1)} ms, p99 ${max.p99.toFixed(1)} ms at ${CONNECTIONS} connections`,
      });
    }
    report.detail('api', { customers: count, connections: CONNECTIONS, results });
  } finally {
    await pool.end();
    server.child.kill('SIGTERM');
    await new Promise((resolve) => { if (server.child.exitCode !== null) resolve(null); else server.child.once('exit', resolve); });
  }
}
