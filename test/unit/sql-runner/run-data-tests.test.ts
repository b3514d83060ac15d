import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { QueryRunner } from 'typeorm';
import { runDataTests, wrapDataTest } from '../../../src/sql-runner/run-data-tests';
import { SqlRunnerError } from '../../../src/sql-runner/sql-runner.error';

describe('runDataTests', () => {
  const dir = mkdtempSync(join(tmpdir(), 'data-tests-'));
  const path = join(dir, 'assert_x.sql');
  writeFileSync(path, 'select email from unified_customers where show_rate > 100;\n-- trailing comment');
  const fakeRunner = (rows: Record<string, unknown>[]) => {
    const queries: string[] = [];
    return { queries, runner: { query: async (sql: string) => { queries.push(sql); return rows; } } as unknown as QueryRunner };
  };

  it('should pass and record the test when it selects no rows', async () => {
    const { runner } = fakeRunner([]);
    const executions = await runDataTests(runner, [{ name: 'tests/assert_x', path }]);
    expect(executions).toEqual([{ name: 'tests/assert_x', checksum: expect.stringMatching(/^[0-9a-f]{64}$/), durationMs: expect.any(Number) }]);
  });

  it('should throw DATA_TEST_FAILED naming the test, the row count and a sample row', async () => {
    const { runner } = fakeRunner([{ __violations: '3', email: 'a@example.com' }]);
    const run = runDataTests(runner, [{ name: 'tests/assert_x', path }]);
    await expect(run).rejects.toMatchObject({ code: 'DATA_TEST_FAILED' });
    // The runner's own error: sync/ calls the runner, so the runner cannot raise sync's.
    await expect(run).rejects.toBeInstanceOf(SqlRunnerError);
    await expect(run).rejects.toThrow('data test tests/assert_x failed: 3 rows, e.g. {"email":"a@example.com"}');
  });

  it('should wrap a test so a trailing semicolon or comment cannot break it', () => {
    const wrapped = wrapDataTest('select 1 as x; \n');
    expect(wrapped).toContain('from (\nselect 1 as x\n) as violations');
    expect(wrapDataTest('select 1 -- note')).toContain('select 1 -- note\n)');
  });
});
