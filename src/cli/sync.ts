import 'reflect-metadata';
import { loadConfig, loadDotEnv, requireCalendlyApiKey } from '../config/config';
import { openDatabase } from '../db/data-source';
import { migrate } from '../db/migrate';
import { createLogger } from '../logging/logger';
import { SyncRunStatus } from '../../entities';
import { runSummary } from '../sync/run-summary';
import { describeFailure } from '../sync/run-sync';
import { SyncCoordinator } from '../sync/sync-coordinator';
import { terminalProgress } from './sync-progress';

// `npm run sync`: one run to completion. The JSON summary is the last stdout line; logs and
// progress go to stderr; the exit code is 0 only when the run succeeded.
async function main(): Promise<number> {
  loadDotEnv();
  const config = loadConfig();
  requireCalendlyApiKey(config);
  const logger = createLogger(config.logLevel);
  const db = await openDatabase({ databaseUrl: config.databaseUrl, dataDir: config.dataDir });
  try {
    await migrate(db.dataSource);
    const progress = terminalProgress();
    const coordinator = new SyncCoordinator({ db, config, logger, onProgress: progress.update });
    await coordinator.recoverStaleRuns();
    const started = await coordinator.start({ trigger: 'cli' });
    if (!started.startedHere) logger.warn({ runId: started.run.id }, 'a sync is already running; waiting for it instead');
    const stop = () => void coordinator.shutdown(0);
    process.once('SIGINT', stop).once('SIGTERM', stop);
    const run = await started.finished;
    progress.done();
    process.stdout.write(`${JSON.stringify(runSummary(run))}\n`);
    return run.status === SyncRunStatus.SUCCEEDED && started.startedHere ? 0 : 1;
  } finally {
    await db.close();
  }
}

main().then(
  (code) => process.exit(code),
  (error: unknown) => {
    process.stderr.write(`error: ${describeFailure(error)}\n`);
    process.stdout.write(`${JSON.stringify({ status: 'failed', error: describeFailure(error) })}\n`);
    process.exit(1);
  },
);
