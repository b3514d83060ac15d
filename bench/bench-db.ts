import { Client } from 'pg';
import { openDatabase, type Database } from '../src/db/data-source';
import { migrate } from '../src/db/migrate';

export const BENCH_DB_PREFIX = 'calendly_sync_bench';

/** The server URL the bench administers (DATABASE_URL, default the local trust-auth server). */
export function adminUrl(): string {
  return process.env.DATABASE_URL || 'postgres://postgres@127.0.0.1:5432/postgres';
}

export function databaseUrl(name: string): string {
  const url = new URL(adminUrl());
  url.pathname = `/${name}`;
  return url.toString();
}

async function admin<T>(work: (client: Client) => Promise<T>): Promise<T> {
  const client = new Client({ connectionString: adminUrl() });
  await client.connect();
  try {
    return await work(client);
  } finally {
    await client.end();
  }
}

/** A fresh, empty database named `calendly_sync_bench_<suffix>` (dropped first if a previous run left it). */
export async function createBenchDatabase(suffix: string): Promise<string> {
  const name = `${BENCH_DB_PREFIX}_${suffix}`;
  await admin(async (client) => {
    await client.query(`drop database if exists ${name} with (force)`);
    await client.query(`create database ${name}`);
  });
  return name;
}

export async function dropBenchDatabase(name: string): Promise<void> {
  if (!name.startsWith(BENCH_DB_PREFIX)) throw new Error(`refusing to drop ${name}`);
  await admin((client) => client.query(`drop database if exists ${name} with (force)`));
}

/** Opens the database through the service's own data source and applies the migrations. */
export async function openMigrated(name: string, poolSize = 10): Promise<Database> {
  const db = await openDatabase({ databaseUrl: databaseUrl(name), poolSize });
  await migrate(db.dataSource);
  return db;
}

/** A run row, so foreign keys (customer_alerts → sync_runs) hold. */
export async function insertRun(db: Database, asOf: Date, windowStart: Date, windowEnd: Date): Promise<number> {
  const [row] = await db.dataSource.query(
    `insert into sync_runs (trigger, status, as_of, window_start, window_end)
     values ('cli', 'running', $1, $2, $3) returning id`,
    [asOf, windowStart, windowEnd]);
  return Number(row.id);
}

export async function finishRun(db: Database, runId: number): Promise<void> {
  await db.dataSource.query(`update sync_runs set status = 'succeeded', finished_at = now() where id = $1`, [runId]);
}
