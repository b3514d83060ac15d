import type { CalendlyInvitee, CalendlyScheduledEvent } from '../calendly/calendly.types';
import { formatCalendlyTime, HOUR_MS, MINUTE_MS } from './calendly-time';
import { Prng } from './prng';
import type { SimulatorDataset } from './simulator-dataset';
import type { SimulatedWebhooks } from './webhook-subscriptions';

/**
 * Changes to the simulated organisation that Calendly announces by webhook: each mutates the
 * dataset, then emits the deliveries Calendly would send (a reschedule is a cancel plus a create;
 * a no-show delivery carries the no-show resource, naming its invitee by URI).
 */
export class OrganisationActivity {
  private readonly rng: Prng;

  constructor(private readonly dataset: SimulatorDataset, private readonly webhooks: SimulatedWebhooks, seed = 7) {
    this.rng = new Prng(seed ^ 0xac71);
  }

  /** A new one-on-one booking for `email`, starting at `start`. */
  book(email: string, start: Date, at = new Date()): CalendlyInvitee {
    const stamp = formatCalendlyTime(at.getTime());
    const event = this.dataset.addEvent({
      start_time: formatCalendlyTime(start.getTime()), end_time: formatCalendlyTime(start.getTime() + 30 * MINUTE_MS),
      created_at: stamp, updated_at: stamp, hostIndex: this.rng.int(0, this.dataset.hosts.length - 1),
    });
    const invitee = this.dataset.addInvitee(event.uri, { email, created_at: stamp, updated_at: stamp });
    this.created(invitee, at);
    return invitee;
  }

  /** The invitee cancels (its one-on-one event is canceled with it). */
  cancel(inviteeUri: string, at = new Date()): CalendlyInvitee {
    const invitee = this.dataset.cancelInvitee(inviteeUri, at);
    this.webhooks.emit('invitee.canceled', this.inviteePayload(invitee), at);
    return invitee;
  }

  /** The host marks the invitee a no-show. */
  markNoShow(inviteeUri: string, at = new Date()): CalendlyInvitee {
    const invitee = this.dataset.markNoShow(inviteeUri, at);
    this.webhooks.emit('invitee_no_show.created', { ...invitee.no_show, invitee: invitee.uri }, at);
    return invitee;
  }

  /** The host takes a no-show mark back. */
  unmarkNoShow(inviteeUri: string, at = new Date()): CalendlyInvitee {
    const mark = this.dataset.getInvitee(inviteeUri)?.no_show;
    const invitee = this.dataset.unmarkNoShow(inviteeUri, at);
    this.webhooks.emit('invitee_no_show.deleted', { ...mark, invitee: invitee.uri }, at);
    return invitee;
  }

  /** The invitee moves to `newStart`: `invitee.canceled` for the old booking, `invitee.created` for the new one. */
  reschedule(inviteeUri: string, newStart: Date, at = new Date()): CalendlyInvitee {
    const { invitee } = this.dataset.reschedule(inviteeUri, newStart, at);
    const old = this.dataset.getInvitee(inviteeUri) as CalendlyInvitee;
    this.webhooks.emit('invitee.canceled', this.inviteePayload(old), at);
    this.created(invitee, at);
    return invitee;
  }

  /**
   * One random change, for a demo that keeps the organisation alive: a booking in the coming
   * days, a cancellation of an upcoming call, or a no-show mark on a past one.
   */
  step(emails: readonly string[], now = new Date()): string {
    const choice = this.rng.int(0, 2);
    const email = emails[this.rng.int(0, emails.length - 1)];
    if (choice === 0 || emails.length === 0) {
      const start = new Date(now.getTime() + this.rng.int(2, 24 * 14) * HOUR_MS);
      this.book(email ?? `walk-in${this.rng.int(1, 999)}@example.com`, start, now);
      return 'booking';
    }
    const candidates = this.dataset.allInvitees().filter((i) => i.status === 'active' && !i.no_show
      && (choice === 1 ? this.startOf(i) > now.getTime() : this.startOf(i) <= now.getTime()));
    const target = candidates[this.rng.int(0, Math.max(0, candidates.length - 1))];
    if (!target) return 'none';
    if (choice === 1) this.cancel(target.uri, now);
    else this.markNoShow(target.uri, now);
    return choice === 1 ? 'cancellation' : 'no-show';
  }

  private startOf(invitee: CalendlyInvitee): number {
    const start = this.dataset.getEvent(invitee.event)?.start_time;
    return typeof start === 'string' ? Date.parse(start) : Number.NaN;
  }

  private created(invitee: CalendlyInvitee, at: Date): void {
    this.webhooks.emit('invitee.created', this.inviteePayload(invitee), at);
  }

  private inviteePayload(invitee: CalendlyInvitee): Record<string, unknown> {
    const event = this.dataset.getEvent(invitee.event) as CalendlyScheduledEvent;
    return { ...invitee, scheduled_event: event };
  }
}

