import type { QueryRunner } from 'typeorm';
import { timed, type ModelExecution } from './model-execution';
import type { ManifestEntry } from './model-manifest';
import { readSqlFile } from './sql-file';
import { SqlRunnerError } from './sql-runner.error';

/** Column the wrapper adds to count a test's violations while fetching only one sample row. */
const VIOLATIONS_COLUMN = '__violations';

/**
 * Runs each data test (a select of violating rows) on `runner`, in the caller's transaction.
 * Any row throws SqlRunnerError('DATA_TEST_FAILED') naming the test and one sample row, so the caller rolls back.
 */
export async function runDataTests(runner: QueryRunner, tests: readonly ManifestEntry[]): Promise<ModelExecution[]> {
  const executions: ModelExecution[] = [];
  for (const entry of tests) {
    const file = readSqlFile(entry);
    const { execution, result: rows } = await timed(file, (): Promise<Record<string, unknown>[]> => runner.query(wrapDataTest(file.sql)));
    executions.push(execution);
    if (rows.length > 0) {
      const { [VIOLATIONS_COLUMN]: count, ...sample } = rows[0];
      throw new SqlRunnerError('DATA_TEST_FAILED',
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
