/** A job the scheduler runs on a cron schedule (the shape of Vendure's ScheduledTask). */
export interface ScheduledTask {
  id: string;
  /** Cron expression; node-schedule accepts an optional leading seconds field. */
  schedule: string;
  /** How long one execution may take before it is reported as timed out. */
  timeout: number;
  /** Skip a firing while the previous execution in this process is still going. */
  preventOverlap: boolean;
  execute(): Promise<void>;
}
