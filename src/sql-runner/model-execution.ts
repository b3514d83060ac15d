import type { SqlFile } from './sql-file';

/** What a run records about each model and data test it executed (sync_runs.models). */
export interface ModelExecution {
  name: string;
  checksum: string;
  durationMs: number;
}

/** Runs one file's statement and says how long it took, whatever it returned. */
export async function timed<T>(file: SqlFile, run: () => Promise<T>): Promise<{ execution: ModelExecution; result: T }> {
  const started = performance.now();
  const result = await run();
  return { execution: { name: file.name, checksum: file.checksum, durationMs: Math.round(performance.now() - started) }, result };
}
