import type { QueryRunner } from 'typeorm';
import type { ModelExecution } from '../../entities';
import { SyncError } from '../sync/sync.error';
import type { ManifestEntry } from './model-manifest';
import { readSqlFile } from './sql-file';

/** Column the wrapper adds to count a test's violations while fetching only one sample row. */
const VIOLATIONS_COLUMN = '__violations';

/**
 * Runs each data test (a select of violating rows) on `runner`, in the caller's transaction.
 * Any row throws SyncError('DATA_TEST_FAILED') naming the test and one sample row, so the caller rolls back.
 */
export async function runDataTests(runner: QueryRunner, tests: readonly ManifestEntry[]): Promise<ModelExecution[]> {
  const executions: ModelExecution[] = [];
  for (const entry of tests) {
    const file = readSqlFile(entry);
    const started = performance.now();
    const rows: Record<string, unknown>[] = await runner.query(wrapDataTest(file.sql));
    executions.push({ name: file.name, checksum: file.checksum, durationMs: Math.round(performance.now() - started) });
    if (rows.length > 0) {
      const { [VIOLATIONS_COLUMN]: count, ...sample } = rows[0];
      throw new SyncError('DATA_TEST_FAILED',
        `data test ${file.name} failed: ${Number(count)} rows, e.g. ${JSON.stringify(sample)}`);
    }
  }
  return executions;
}

/** Counts every violating row but returns one; the newline keeps a trailing `--` comment from eating the wrapper. */
export function wrapDataTest(sql: string): string {
  const select = sql.trim().replace(/;\s*$/, '');
  return `select count(*) over () as ${VIOLATIONS_COLUMN}, violations.*\nfrom (\n${select}\n) as violations\nlimit 1`;
}
