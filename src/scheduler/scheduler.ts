import schedule, { type Job } from 'node-schedule';
import type { Logger } from '../logging/logger';
import type { ScheduledTask } from './scheduled-task';

interface Registration {
  task: ScheduledTask;
  job: Job;
  running: Promise<void> | undefined;
}

/**
 * Runs ScheduledTasks with node-schedule. Overlap is prevented in this process only; exclusion
 * across processes is the task's business (the sync task goes through the database guard).
 */
export class Scheduler {
  private readonly registrations = new Map<string, Registration>();
  private stopped = false;

  constructor(private readonly logger: Logger) {}

  register(task: ScheduledTask): void {
    if (this.stopped) throw new Error('scheduler is stopped');
    if (this.registrations.has(task.id)) throw new Error(`task ${task.id} is already registered`);
    const job = schedule.scheduleJob(task.id, task.schedule, () => this.fire(task.id));
    if (!job) throw new Error(`task ${task.id}: schedule "${task.schedule}" never fires`);
    // node-schedule emits `error` when the job function rejects; fire() never does, this is a safety net.
    job.on('error', (error: unknown) => this.logger.error({ err: error, task: task.id }, 'scheduled task failed'));
    this.registrations.set(task.id, { task, job, running: undefined });
    this.logger.info({ task: task.id, schedule: task.schedule }, 'scheduled task registered');
  }

  get taskIds(): string[] {
    return [...this.registrations.keys()];
  }

  /** Cancels every job so nothing new starts; `idle()` waits for executions already going. */
  stop(): void {
    this.stopped = true;
    for (const registration of this.registrations.values()) registration.job.cancel();
  }

  async idle(): Promise<void> {
    await Promise.all([...this.registrations.values()].map((registration) => registration.running));
  }

  private async fire(id: string): Promise<void> {
    const registration = this.registrations.get(id);
    if (!registration || this.stopped) return;
    const { task } = registration;
    if (task.preventOverlap && registration.running) {
      this.logger.info({ task: id }, 'scheduled task skipped: previous execution still running');
      return;
    }
    const execution = this.runWithTimeout(task).finally(() => {
      if (registration.running === execution) registration.running = undefined;
    });
    registration.running = execution;
    await execution;
  }

  private async runWithTimeout(task: ScheduledTask): Promise<void> {
    let timer: NodeJS.Timeout | undefined;
    const timedOut = new Promise<'timeout'>((resolve) => {
      timer = setTimeout(() => resolve('timeout'), task.timeout);
      timer.unref();
    });
    try {
      const outcome = await Promise.race([task.execute().then(() => 'done' as const), timedOut]);
      // The execution may still be going; releasing the overlap guard lets the next firing try
      // again, and the database guard keeps it from starting a second run.
      if (outcome === 'timeout') this.logger.error({ task: task.id, timeoutMs: task.timeout }, 'scheduled task timed out');
    } catch (error) {
      this.logger.error({ err: error, task: task.id }, 'scheduled task failed');
    } finally {
      clearTimeout(timer);
    }
  }
}
