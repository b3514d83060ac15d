import { SyncRunStatus } from '../../entities';
import { requireCalendlyApiKey } from '../config/config';
import { runSummary } from '../sync/run-summary';
import { SyncCoordinator } from '../sync/sync-coordinator';
import { bootstrap, runCommand } from './bootstrap';
import { terminalProgress } from './sync-progress';

// `npm run sync`: one run to completion. The JSON summary is the last stdout line; logs and
// progress go to stderr; the exit code is 0 only when the run succeeded.
runCommand(async () => {
  const { config, logger, db } = await bootstrap({ check: requireCalendlyApiKey });
  try {
    const progress = terminalProgress();
    const coordinator = new SyncCoordinator({ db, config, logger, onProgress: progress.update });
    await coordinator.recoverStaleRuns();
    const started = await coordinator.start({ trigger: 'cli', full: process.argv.slice(2).includes('--full') });
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
}, (reason) => process.stdout.write(`${JSON.stringify({ status: 'failed', error: reason })}\n`));
