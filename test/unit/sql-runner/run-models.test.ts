import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { QueryRunner } from 'typeorm';
import { runModels } from '../../../src/sql-runner/run-models';
import { SqlRunnerError } from '../../../src/sql-runner/sql-runner.error';

describe('runModels', () => {
  const dir = mkdtempSync(join(tmpdir(), 'run-models-'));
  const entry = (name: string, sql: string) => {
    const path = join(dir, `${name.replace('/', '__')}.sql`);
    writeFileSync(path, sql);
    return { name, path };
  };
  const manifest = {
    models: [entry('staging/ok', 'select 1'), entry('marts/broken', 'select broken')],
    dataTests: [],
    figures: entry('figures', 'select 0 as customers_updated'),
  };
  const params = { runId: 1, asOf: new Date('2025-01-02T00:00:00Z'), windowStart: new Date('2025-01-01T00:00:00Z'), windowEnd: new Date('2025-01-03T00:00:00Z') };
  // A transaction whose `select broken` fails the way the driver would.
  const runner = {
    isTransactionActive: true,
    query: async (sql: string) => {
      if (sql.includes('select broken')) throw Object.assign(new Error('column "broken" does not exist'), { code: '42703' });
      return [];
    },
  } as unknown as QueryRunner;

  it('should throw MODEL_FAILED naming the model, with the driver error as its cause, when a model fails', async () => {
    // Act
    const run = runModels(runner, params, { manifest });

    // Assert
    await expect(run).rejects.toBeInstanceOf(SqlRunnerError);
    await expect(run).rejects.toMatchObject({ code: 'MODEL_FAILED', cause: { code: '42703' } });
  });
});
