/**
 * Spaces request starts evenly (one every 60000/limit ms) so the client stays under a
 * per-minute limit without bursting. `holdUntil` stops every caller, e.g. after a 429,
 * because Calendly's limit is per token, not per request.
 */
export class Pacer {
  private readonly intervalMs: number;
  private readonly slackMs: number;
  private nextStartAt = 0;
  private heldUntil = 0;
  private readonly queue: Array<() => void> = [];
  private timer: NodeJS.Timeout | undefined;
  private timerAt = 0;

  constructor(requestsPerMinute: number, private readonly now: () => number = Date.now) {
    if (!(requestsPerMinute > 0)) throw new RangeError(`requestsPerMinute must be positive, got ${requestsPerMinute}`);
    this.intervalMs = 60_000 / requestsPerMinute;
    this.slackMs = Math.min(this.intervalMs / 2, 10);
  }

  /** Resolves when the caller may start its request; rejects with the signal's reason if it aborts first. */
  take(signal?: AbortSignal): Promise<void> {
    return new Promise<void>((resolve, reject) => {
      if (signal?.aborted) return reject(signal.reason);
      const onAbort = () => {
        const index = this.queue.indexOf(start);
        if (index >= 0) this.queue.splice(index, 1);
        // An empty queue must not keep a timer (and so the process) alive.
        if (this.queue.length === 0) this.clearTimer();
        reject(signal!.reason);
      };
      const start = () => {
        signal?.removeEventListener('abort', onAbort);
        resolve();
      };
      signal?.addEventListener('abort', onAbort, { once: true });
      this.queue.push(start);
      this.pump();
    });
  }

  /** Holds every waiting and future caller until `untilMs` (epoch ms). */
  holdUntil(untilMs: number): void {
    if (untilMs <= this.heldUntil) return;
    this.heldUntil = untilMs;
    this.pump();
  }

  /** Milliseconds until the next start would be allowed, for logging. */
  delayMs(): number {
    return Math.max(0, Math.max(this.nextStartAt, this.heldUntil) - this.now());
  }

  private pump(): void {
    while (this.queue.length > 0) {
      const now = this.now();
      const readyAt = Math.max(this.nextStartAt, this.heldUntil);
      if (readyAt > now) {
        this.schedule(readyAt);
        return;
      }
      // Keep to the schedule despite late timers, but after idle time allow at most `slackMs`
      // of catch-up, so starts are never closer than interval - slack.
      this.nextStartAt = Math.max(this.nextStartAt, now - this.slackMs) + this.intervalMs;
      this.queue.shift()!();
    }
    this.clearTimer();
  }

  private schedule(at: number): void {
    if (this.timer && this.timerAt === at) return;
    this.clearTimer();
    this.timerAt = at;
    this.timer = setTimeout(() => {
      this.timer = undefined;
      this.pump();
    }, Math.max(0, Math.ceil(at - this.now())));
  }

  private clearTimer(): void {
    if (this.timer) clearTimeout(this.timer);
    this.timer = undefined;
  }
}
