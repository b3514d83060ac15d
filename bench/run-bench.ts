import 'reflect-metadata';
import { cpus } from 'node:os';
import { join } from 'node:path';
import { BenchReport, collectGarbage } from './bench-result';
import { fetchStage } from './fetch.stage';
import { stagingStage } from './staging.stage';
import { modelsStage, type LoadedModelsDb } from './models.stage';
import { apiStage } from './api.stage';
import { memoryStage } from './memory.stage';
import { steadyStateStage } from './steady-state.stage';
import { freshnessStage } from './freshness.stage';
import { dropBenchDatabase } from './bench-db';

// `npm run bench [-- stage ...]`: every stage by default, or only the ones named.
type Stage = (report: BenchReport) => Promise<void>;

let modelsDb: LoadedModelsDb | undefined;

const STAGES: Record<string, () => Promise<Stage>> = {
  fetch: async () => fetchStage,
  'steady-state': async () => steadyStateStage,
  freshness: async () => freshnessStage,
  staging: async () => stagingStage,
  memory: async () => (report) => memoryStage(report, { pglite: process.env.BENCH_PGLITE === '1' }),
  // The API stage reads what the models wrote: 200k customers and their alerts.
  models: async () => (report) => modelsStage(report, (loaded) => { modelsDb = loaded; }),
  api: async () => async (report) => {
    if (!modelsDb) await modelsStage(new BenchReport(), (loaded) => { modelsDb = loaded; });
    await apiStage(report, modelsDb!.name);
  },
};

async function main(): Promise<number> {
  const asked = process.argv.slice(2);
  const unknown = asked.filter((name) => !(name in STAGES));
  if (unknown.length) {
    process.stderr.write(`unknown stage(s): ${unknown.join(', ')}; known: ${Object.keys(STAGES).join(', ')}\n`);
    return 2;
  }
  const names = asked.length ? asked : Object.keys(STAGES);
  const report = new BenchReport();
  const started = performance.now();
  const failures: string[] = [];
  for (const name of names) {
    const stageStarted = performance.now();
    process.stderr.write(`[bench] stage ${name}...\n`);
    try {
      await (await STAGES[name]())(report);
    } catch (error) {
      failures.push(name);
      process.stderr.write(`[bench] stage ${name} failed: ${(error as Error).stack ?? String(error)}\n`);
      report.detail(`${name}.error`, String((error as Error).message ?? error));
    }
    report.detail(`${name}.stageSeconds`, Math.round((performance.now() - stageStarted) / 100) / 10);
    collectGarbage();
  }
  if (modelsDb) {
    await modelsDb.db.close();
    await dropBenchDatabase(modelsDb.name);
  }
  const totalSeconds = Math.round((performance.now() - started) / 100) / 10;
  const path = join(__dirname, '..', '..', 'bench', 'results.json');
  report.write(path, { stages: names, failedStages: failures, totalSeconds, node: process.version, cpus: cpus().length });
  process.stdout.write(`\n${report.table()}\n\ntotal ${totalSeconds} s; figures also in bench/results.json\n`);
  return failures.length ? 1 : 0;
}

main().then((code) => process.exit(code), (error: unknown) => {
  process.stderr.write(`${(error as Error).stack ?? String(error)}\n`);
  process.exit(1);
});
