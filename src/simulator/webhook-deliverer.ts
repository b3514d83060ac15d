import { setTimeout as sleep } from 'node:timers/promises';
import { signWebhookBody, SIGNATURE_HEADER } from '../calendly/webhook-signature';

/** Where and how one subscription is delivered to. */
export interface DeliveryTarget {
  url: string;
  signingKey: string;
}

export interface WebhookDelivererOptions {
  /** Attempts per delivery, the first included; default 6. */
  maxAttempts?: number;
  /** First retry delay, doubled each time; default 1 s (Calendly backs off exponentially). */
  retryBaseMs?: number;
  /** Calendly allows 10 s to connect and 15 s to read; one deadline for both here. */
  timeoutMs?: number;
  /** Told when a target answered 410 Gone: Calendly deletes the subscription at once. */
  onGone(target: DeliveryTarget): void;
}

export interface DelivererStats {
  /** Deliveries a target acknowledged with 2xx. */
  delivered: number;
  /** Attempts that got a non-2xx answer or no answer. */
  failedAttempts: number;
  /** Deliveries given up on after every attempt, or dropped by a 410. */
  abandoned: number;
}

/**
 * Posts signed deliveries as Calendly does: JSON body, `Calendly-Webhook-Signature` signed at
 * each attempt's time, success only on 2xx (a redirect is a failure), retries with exponential
 * backoff, and no retry after 410 Gone, which drops the subscription.
 */
export class WebhookDeliverer {
  readonly stats: DelivererStats = { delivered: 0, failedAttempts: 0, abandoned: 0 };
  private readonly inFlight = new Set<Promise<void>>();
  private readonly closing = new AbortController();

  constructor(private readonly options: WebhookDelivererOptions) {}

  /** Starts delivering `body` to `target` in the background. */
  deliver(target: DeliveryTarget, body: object): void {
    const task = this.attemptAll(target, JSON.stringify(body)).finally(() => this.inFlight.delete(task));
    this.inFlight.add(task);
  }

  /** Resolves when every delivery started so far has succeeded or been given up. */
  async idle(): Promise<void> {
    while (this.inFlight.size > 0) await Promise.allSettled([...this.inFlight]);
  }

  /** Stops retrying and ends requests in flight. */
  async close(): Promise<void> {
    this.closing.abort();
    await this.idle();
  }

  private async attemptAll(target: DeliveryTarget, body: string): Promise<void> {
    const maxAttempts = this.options.maxAttempts ?? 6;
    for (let attempt = 1; attempt <= maxAttempts && !this.closing.signal.aborted; attempt += 1) {
      const status = await this.post(target, body);
      if (status >= 200 && status < 300) {
        this.stats.delivered += 1;
        return;
      }
      this.stats.failedAttempts += 1;
      if (status === 410) {
        this.options.onGone(target);
        break;
      }
      if (attempt < maxAttempts) {
        const delayMs = (this.options.retryBaseMs ?? 1000) * 2 ** (attempt - 1);
        await sleep(delayMs, undefined, { signal: this.closing.signal }).catch(() => undefined);
      }
    }
    this.stats.abandoned += 1;
  }

  /** The answer's status, or 0 when none came (refused, timed out, closed). */
  private async post(target: DeliveryTarget, body: string): Promise<number> {
    try {
      const response = await fetch(target.url, {
        method: 'POST',
        redirect: 'manual',
        headers: {
          'content-type': 'application/json',
          [SIGNATURE_HEADER]: signWebhookBody(target.signingKey, body, Date.now() / 1000),
        },
        body,
        signal: AbortSignal.any([this.closing.signal, AbortSignal.timeout(this.options.timeoutMs ?? 15_000)]),
      });
      await response.arrayBuffer().catch(() => undefined);
      return response.status;
    } catch {
      return 0;
    }
  }
}
