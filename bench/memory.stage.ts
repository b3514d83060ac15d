import { spawn } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { startSimulator, type Simulator } from '../src/simulator/simulator.server';
import { ratio, type BenchReport } from './bench-result';
import { createBenchDatabase, databaseUrl, dropBenchDatabase } from './bench-db';

const STAGE = 'memory';
const EVENTS = 50_000;
const MB = 1024 * 1024;

interface CliRun { peakRssMb: number; seconds: number; status: string; summary: Record<string, unknown> | null; error?: string }

function vmHwmKb(pid: number): number | undefined {
  try {
    const match = /VmHWM:\s+(\d+) kB/.exec(readFileSync(`/proc/${pid}/status`, 'utf8'));
    return match ? Number(match[1]) : undefined;
  } catch {
    return undefined;
  }
}

/** `npm run sync` (the built CLI) as a child process; its peak RSS (VmHWM) sampled every 50 ms until it exits. */
async function runCli(sim: Simulator, env: Record<string, string>, timeoutMs: number): Promise<CliRun> {
  const started = performance.now();
  const child = spawn(process.execPath, [join(__dirname, '..', 'src', 'cli', 'sync.js')], {
    env: { ...process.env, DATABASE_URL: '', CALENDLY_API_KEY: sim.apiKey, CALENDLY_BASE_URL: sim.url,
      CALENDLY_ORGANIZATION_URI: sim.organizationUri, CALENDLY_RATE_LIMIT_PER_MINUTE: '1000000', CALENDLY_CONCURRENCY: '16',
      LOG_LEVEL: 'warn', SYNC_CRON: 'off', ...env },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let stdout = '';
  let stderr = '';
  child.stdout!.on('data', (c: Buffer) => { stdout += c.toString(); });
  child.stderr!.on('data', (c: Buffer) => { stderr = (stderr + c.toString()).slice(-2000); });
  let peakKb = 0;
  const sampler = setInterval(() => { peakKb = Math.max(peakKb, vmHwmKb(child.pid!) ?? 0); }, 50);
  const killer = setTimeout(() => child.kill('SIGKILL'), timeoutMs);
  const code = await new Promise<number | null>((resolve) => child.once('exit', (c) => resolve(c)));
  clearInterval(sampler);
  clearTimeout(killer);
  const last = stdout.trim().split('\n').pop() ?? '';
  let summary: Record<string, unknown> | null = null;
  try { summary = JSON.parse(last) as Record<string, unknown>; } catch { /* none */ }
  const status = code === null ? 'killed (timeout)' : String(summary?.status ?? `exit ${code}`);
  return { peakRssMb: (peakKb * 1024) / MB, seconds: (performance.now() - started) / 1000, status, summary,
    error: status === 'succeeded' ? undefined : (String(summary?.error ?? '') || stderr.slice(-300)) };
}

async function onPostgres(sim: Simulator, suffix: string): Promise<CliRun> {
  const name = await createBenchDatabase(suffix);
  try {
    return await runCli(sim, { DATABASE_URL: databaseUrl(name) }, 200_000);
  } finally {
    await dropBenchDatabase(name);
  }
}

async function onPglite(sim: Simulator, timeoutMs: number): Promise<CliRun> {
  const dir = mkdtempSync(join(tmpdir(), 'calendly-bench-pglite-'));
  try {
    return await runCli(sim, { DATA_DIR: dir }, timeoutMs);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

export async function memoryStage(report: BenchReport, options: { pglite: boolean }): Promise<void> {
  // Baseline: the same CLI syncing an empty organisation (process, pools, schema, one page).
  const empty = await startSimulator({ seed: 5, events: 0 });
  const full = await startSimulator({ seed: 5, events: EVENTS, latencyMs: 2 });
  try {
    const baseline = await onPostgres(empty, 'memory_empty');
    const run = await onPostgres(full, 'memory');
    report.detail('memory', { events: EVENTS, baseline, run });
    report.add({
      stage: STAGE, figure: `peak RSS, npm run sync of ${EVENTS.toLocaleString('en-US')} events (PostgreSQL)`,
      value: run.peakRssMb, unit: 'MB', baseline: baseline.peakRssMb, baselineLabel: 'same CLI, empty organisation',
      ratio: ratio(run.peakRssMb, baseline.peakRssMb), target: '< 300 MB', pass: run.status === 'succeeded' && run.peakRssMb < 300,
      note: run.status !== 'succeeded' ? `the sync ${run.status} after ${run.seconds.toFixed(0)} s, so the peak is a lower bound: ${run.error}` : `sync took ${run.seconds.toFixed(0)} s (${Number(run.summary?.invitees_processed ?? run.summary?.inviteesProcessed ?? 0) || 'n/a'} invitees); VmHWM sampled every 50 ms`,
    });
    if (options.pglite) {
      const pgliteBaseline = await onPglite(empty, 120_000);
      const pglite = await onPglite(full, 180_000);
      report.detail('memory.pglite', { baseline: pgliteBaseline, run: pglite });
      report.add({
        stage: STAGE, figure: `peak RSS, npm run sync of ${EVENTS.toLocaleString('en-US')} events (PGlite, embedded)`,
        value: pglite.peakRssMb, unit: 'MB', baseline: pgliteBaseline.peakRssMb, baselineLabel: 'same CLI on PGlite, empty organisation',
        ratio: ratio(pglite.peakRssMb, pgliteBaseline.peakRssMb), target: '', pass: null,
        note: `${pglite.status} in ${pglite.seconds.toFixed(0)} s; the database runs inside the process (stack notes: ~0.8 GB per PGlite instance), so the 300 MB target applies to PostgreSQL`,
      });
    }
  } finally {
    await empty.close();
    await full.close();
  }
}
