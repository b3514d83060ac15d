/** A job the scheduler runs on a cron schedule (the shape of Vendure's ScheduledTask, without an in-process overlap flag). */
export interface ScheduledTask {
  id: string;
  /** Cron expression; node-schedule accepts an optional leading seconds field. */
  schedule: string;
  /** How long one execution may take before it is reported as timed out. */
  timeout: number;
  /** Runs once per firing, even while an earlier execution is still going: exclusion is the task's business. */
  execute(): Promise<void>;
}
