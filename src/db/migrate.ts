import { createHash } from 'node:crypto';
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import type { DataSource } from 'typeorm';
import { DbError } from './db.error';
import { sqlDir } from './sql-dir';

// Any constant shared by every replica; serialises migrations across processes.
const MIGRATION_LOCK_KEY = 727_001;

export interface Migration {
  version: string;
  name: string;
  sql: string;
  checksum: string;
}

/** Reads `sql/migrations/NNNNNN_name.sql` in filename order. */
export function readMigrations(dir = join(sqlDir(), 'migrations')): Migration[] {
  return readdirSync(dir)
    .filter((file) => /^\d{6}_.+\.sql$/.test(file))
    .sort()
    .map((file) => {
      const sql = readFileSync(join(dir, file), 'utf8');
      return {
        version: file.slice(0, 6),
        name: file.replace(/\.sql$/, ''),
        sql,
        checksum: createHash('sha256').update(sql).digest('hex'),
      };
    });
}

/**
 * Applies the forward-only migrations not yet recorded in `schema_migrations`, each in its own
 * transaction. A session advisory lock makes two processes starting at once take turns; the
 * second finds everything applied. Everything runs on one query runner (PGlite has one connection).
 */
export async function migrate(dataSource: DataSource, migrations = readMigrations()): Promise<string[]> {
  const runner = dataSource.createQueryRunner();
  await runner.connect();
  const applied: string[] = [];
  try {
    await runner.query('select pg_advisory_lock($1)', [MIGRATION_LOCK_KEY]);
    try {
      await runner.query(`
        create table if not exists schema_migrations (
            version text primary key,
            name text not null,
            checksum text not null,
            applied_at timestamptz not null default now()
        )`);
      const rows: { version: string }[] = await runner.query('select version from schema_migrations');
      const done = new Set(rows.map((row) => row.version));
      for (const migration of migrations) {
        if (done.has(migration.version)) continue;
        await runner.startTransaction();
        try {
          await runner.query('insert into schema_migrations (version, name, checksum) values ($1, $2, $3)',
            [migration.version, migration.name, migration.checksum]);
          await runner.query(migration.sql);
          await runner.commitTransaction();
          applied.push(migration.name);
        } catch (error) {
          await runner.rollbackTransaction();
          throw new DbError('MIGRATION_FAILED', `migration ${migration.name} failed: ${(error as Error).message}`, { cause: error });
        }
      }
    } finally {
      await runner.query('select pg_advisory_unlock($1)', [MIGRATION_LOCK_KEY]);
    }
  } finally {
    await runner.release();
  }
  return applied;
}

/** Whether every migration on disk is recorded (used by /readyz). */
export async function pendingMigrations(dataSource: DataSource, migrations = readMigrations()): Promise<string[]> {
  const rows: { version: string }[] = await dataSource.query(
    `select version from schema_migrations`).catch(() => []);
  const done = new Set(rows.map((row) => row.version));
  return migrations.filter((m) => !done.has(m.version)).map((m) => m.name);
}
