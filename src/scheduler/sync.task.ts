import type { Config } from '../config/config';
import type { Logger } from '../logging/logger';
import type { SyncCoordinator } from '../sync/sync-coordinator';
import type { ScheduledTask } from './scheduled-task';

const SYNC_TASK_TIMEOUT_MS = 2 * 60 * 60 * 1000;

/** The `calendly-sync` task, or undefined when `SYNC_CRON=off`. */
export function createSyncTask(deps: {
  config: Pick<Config, 'syncCron'>;
  coordinator: Pick<SyncCoordinator, 'start'>;
  logger: Logger;
}): ScheduledTask | undefined {
  const { config, coordinator, logger } = deps;
  if (!config.syncCron) return undefined;
  return {
    id: 'calendly-sync',
    schedule: config.syncCron,
    timeout: SYNC_TASK_TIMEOUT_MS,
    async execute() {
      const started = await coordinator.start({ trigger: 'schedule' });
      if (!started.startedHere) {
        // The claim found a run under way (here or in another replica): this firing has nothing to do.
        logger.info({ task: 'calendly-sync', runId: started.run.id }, 'scheduled sync skipped: a run is already under way');
        return;
      }
      logger.info({ task: 'calendly-sync', runId: started.run.id }, 'scheduled sync started');
      // The coordinator logs the run's end with its figures, whatever started it; waiting here
      // keeps the task's execution (and its timeout) as long as the run.
      await started.finished;
    },
  };
}
