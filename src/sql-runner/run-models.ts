import type { QueryRunner } from 'typeorm';
import { timed, type ModelExecution } from './model-execution';
import { MODEL_MANIFEST, type ModelManifest } from './model-manifest';
import { runDataTests } from './run-data-tests';
import { assertParams, renderRunParams, type ModelParams } from './run-params';
import { readSqlFile } from './sql-file';
import { SqlRunnerError } from './sql-runner.error';

export type { ModelExecution } from './model-execution';
export type { ModelParams } from './run-params';

const MODEL_WORK_MEM = '256MB';
const MODEL_PARALLEL_TUPLE_COST = '0.01';

/** The figures metrics.md §4 asks each run to log, computed in SQL. */
export interface RunFigures {
  customersUpdated: number;
  noShowsDetected: number;
  upcomingCalls: number;
  avgShowRate: number | null;
}

export interface RunModelsOptions {
  /** Defaults to MODEL_MANIFEST; tests pass another one (e.g. with an extra data test). */
  manifest?: ModelManifest;
}

/**
 * Runs every model of the manifest in order, then every data test, on `runner` (already inside a transaction).
 * Throws SqlRunnerError: MODEL_FAILED naming the model that failed (the driver's error as its cause), or
 * DATA_TEST_FAILED naming the test and a sample violating row if any data test returns rows.
 */
export async function runModels(
  runner: QueryRunner,
  params: ModelParams,
  options: RunModelsOptions = {},
): Promise<{ models: ModelExecution[]; figures: RunFigures }> {
  assertParams(params);
  // Temp tables are `on commit drop` and the settings are transaction-local: without a transaction they vanish mid-run.
  if (!runner.isTransactionActive) throw new Error('runModels must be called inside a transaction');
  const manifest = options.manifest ?? MODEL_MANIFEST;

  await applyModelSettings(runner);
  const models: ModelExecution[] = [];
  for (const entry of manifest.models) {
    const file = readSqlFile(entry);
    try {
      // No bind parameters: the simple protocol, which runs a multi-statement file as one query.
      const { execution } = await timed(file, () => runner.query(renderRunParams(file.sql, params)));
      models.push(execution);
    } catch (error) {
      throw new SqlRunnerError('MODEL_FAILED', `model ${file.name} failed: ${(error as Error).message}`, { cause: error });
    }
  }

  models.push(...(await runDataTests(runner, manifest.dataTests)));

  const file = readSqlFile(manifest.figures);
  const { execution, result: [row] } = await timed(file, (): Promise<FiguresRow[]> => runner.query(file.sql));
  models.push(execution);
  return { models, figures: toFigures(row) };
}

interface FiguresRow {
  customers_updated: number | string;
  no_shows_detected: number | string;
  upcoming_calls: number | string;
  avg_show_rate: string | number | null;
}

function toFigures(row: FiguresRow): RunFigures {
  return {
    customersUpdated: Number(row.customers_updated),
    noShowsDetected: Number(row.no_shows_detected),
    upcomingCalls: Number(row.upcoming_calls),
    // numeric arrives from pg as a string
    avgShowRate: row.avg_show_rate === null ? null : Number(row.avg_show_rate),
  };
}

/**
 * Settings for this transaction only: TimeZone UTC, so day arithmetic and jsonb timestamps do not
 * depend on the session; enough work_mem that a million bookings aggregate and sort in memory
 * instead of spilling to disk; no JIT, whose compile time outweighs its gain on these queries; and
 * a parallel tuple cost that lets the bookings join run on every core: the default prices handing
 * a row to the leader so high that a million-row join stays serial although it is faster in
 * parallel. Temp tables keep every later model serial.
 */
async function applyModelSettings(runner: QueryRunner): Promise<void> {
  await runner.query(
    `select
         set_config('TimeZone', 'UTC', true),
         set_config('work_mem', '${MODEL_WORK_MEM}', true),
         set_config('jit', 'off', true),
         set_config('parallel_tuple_cost', '${MODEL_PARALLEL_TUPLE_COST}', true)`,
  );
}
