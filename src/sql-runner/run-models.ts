import type { QueryRunner } from 'typeorm';
import type { ModelExecution } from '../../entities';
import { MODEL_MANIFEST, type ModelManifest } from './model-manifest';
import { runDataTests } from './run-data-tests';
import { assertParams, renderRunParams, type ModelParams } from './run-params';
import { readSqlFile } from './sql-file';

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
 * Throws SyncError('DATA_TEST_FAILED', message naming the test and a sample violating row) if any data test returns rows.
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
    const started = performance.now();
    try {
      // No bind parameters: the simple protocol, which runs a multi-statement file as one query.
      await runner.query(renderRunParams(file.sql, params));
    } catch (error) {
      throw new Error(`model ${file.name} failed: ${(error as Error).message}`, { cause: error });
    }
    models.push({ name: file.name, checksum: file.checksum, durationMs: Math.round(performance.now() - started) });
  }

  models.push(...(await runDataTests(runner, manifest.dataTests)));

  const file = readSqlFile(manifest.figures);
  const started = performance.now();
  const [row]: FiguresRow[] = await runner.query(file.sql);
  models.push({ name: file.name, checksum: file.checksum, durationMs: Math.round(performance.now() - started) });
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
 * a row to the leader so high that a million-row join stays serial although it runs in about
 * 60% of the time in parallel (measured on 2 cores). Temp tables keep every later model serial.
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
