import schedule, { type Job } from 'node-schedule';
import type { Logger } from '../logging/logger';
import type { ScheduledTask } from './scheduled-task';

interface Registration {
  task: ScheduledTask;
  job: Job;
  running: Set<Promise<void>>;
}

/**
 * Runs ScheduledTasks with node-schedule. Every firing executes: keeping executions apart is the
 * task's business, where it can hold under failure (the sync task claims its run in the database;
 * a firing during a run finds that run and returns).
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
    this.registrations.set(task.id, { task, job, running: new Set() });
    this.logger.info({ task: task.id, schedule: task.schedule }, 'scheduled task registered');
  }

  /**
   * Fires a registered task now, as its schedule would, and resolves when that execution has
   * ended: tests fire by hand instead of waiting on the clock.
   */
  fireNow(id: string): Promise<void> {
    if (!this.registrations.has(id)) throw new Error(`task ${id} is not registered`);
    return this.fire(id);
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
    await Promise.all([...this.registrations.values()].flatMap((registration) => [...registration.running]));
  }

  private async fire(id: string): Promise<void> {
    const registration = this.registrations.get(id);
    if (!registration || this.stopped) return;
    const execution = this.runWithTimeout(registration.task).finally(() => registration.running.delete(execution));
    registration.running.add(execution);
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
      // The execution may still be going: reported, not stopped (a run stuck on a read is
      // ended by the Calendly client's deadline, and shutdown aborts it).
      if (outcome === 'timeout') this.logger.error({ task: task.id, timeoutMs: task.timeout }, 'scheduled task timed out');
    } catch (error) {
      this.logger.error({ err: error, task: task.id }, 'scheduled task failed');
    } finally {
      clearTimeout(timer);
    }
  }
}
