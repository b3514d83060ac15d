import type { CalendlyInvitee } from '../calendly/calendly.types';
import { DAY_MS, HOUR_MS, MINUTE_MS, parseTime } from './calendly-time';
import { Prng } from './prng';
import { EVENT_KINDS, type EventEntry, type PersonInput, type SimulatorDataset } from './simulator-dataset';

/** How many changes of each kind; unset kinds take the realistic count for the org and the span. */
export interface ChurnCounts {
  /** New one-on-one bookings (new events). */
  newBookings: number;
  /** Seats booked on existing group events (the counter and the event's updated_at move). */
  groupJoins: number;
  /** Whole events canceled by the host (status and updated_at move). */
  cancellations: number;
  /** One-on-one bookings moved to a later slot (the old event is canceled, a new one appears). */
  reschedules: number;
  /** Invitees leaving a group event that goes on (only invitees_counter.active moves). */
  groupLeaves: number;
  /** Hosts marking a recent call's invitee as a no-show (nothing moves on the event). */
  noShows: number;
}

export interface ChurnOptions {
  seed: number;
  /** The span the changes happen in: [from, from + hours). */
  from: Date;
  hours: number;
  counts?: Partial<ChurnCounts>;
}

// Daily rates per event of a 180-day window, matching the generator's lifetime rates: bookings
// arrive steadily, 7% of them are canceled and 7% rescheduled, a tenth of group seats are given
// up, and 12% of past calls get a no-show mark within three days of the call.
const DAYS_IN_WINDOW = 180;
const RATES: ChurnCounts = {
  newBookings: 0.9, groupJoins: 0.1, cancellations: 0.07, reschedules: 0.07, groupLeaves: 0.03, noShows: 0.12,
};
const MARK_WITHIN_MS = 3 * DAY_MS;

/** The realistic number of changes of each kind an organisation of this size sees in `hours`. */
export function realisticChurn(events: number, hours: number): ChurnCounts {
  const perSpan = (events / DAYS_IN_WINDOW) * (hours / 24);
  const count = (rate: number) => Math.max(1, Math.round(perSpan * rate));
  return {
    newBookings: count(RATES.newBookings), groupJoins: count(RATES.groupJoins), cancellations: count(RATES.cancellations),
    reschedules: count(RATES.reschedules), groupLeaves: count(RATES.groupLeaves), noShows: count(RATES.noShows),
  };
}

/**
 * Applies what happens in Calendly between two reads, as Calendly records it: bookings, cancellations
 * and reschedules move the event's updated_at (or create events), a guest leaving a group moves its
 * invitees_counter, and a no-show mark moves nothing on the event. Returns what it applied (fewer
 * when the organisation has too few candidates).
 */
export function applyChurn(dataset: SimulatorDataset, options: ChurnOptions): ChurnCounts {
  const rng = new Prng(options.seed ^ 0xc4a2e);
  const fromMs = options.from.getTime();
  const spanMs = options.hours * HOUR_MS;
  const counts = { ...realisticChurn(dataset.events.length, options.hours), ...options.counts };
  const at = () => new Date(fromMs + Math.floor(rng.next() * spanMs));
  const endMs = fromMs + spanMs;
  const people = customersOf(dataset);
  const applied: ChurnCounts = { newBookings: 0, groupJoins: 0, cancellations: 0, reschedules: 0, groupLeaves: 0, noShows: 0 };

  // Candidates are taken out of one pool per kind, so no event changes twice in one kind.
  const upcoming = (entry: EventEntry) => entry.event.status === 'active' && entry.startMs > endMs && hasValidFields(entry);
  const active = (invitee: CalendlyInvitee) => invitee.status === 'active';
  const pools = {
    oneOnOne: shuffled(rng, dataset.sortedEntries().filter((e) => upcoming(e) && e.invitees.length === 1 && active(e.invitees[0]))),
    groups: shuffled(rng, dataset.sortedEntries().filter((e) => upcoming(e) && isGroup(e) && e.invitees.filter(active).length >= 2)),
    recentCalls: shuffled(rng, dataset.sortedEntries().filter((e) => e.event.status === 'active' && hasValidFields(e)
      && parseTime(e.event.end_time) < fromMs && parseTime(e.event.end_time) > fromMs - MARK_WITHIN_MS)),
  };

  for (let i = 0; i < counts.newBookings; i += 1) {
    const when = at();
    const kind = EVENT_KINDS[rng.int(0, 2)];
    // A quarter-hour slot one to sixty days ahead, as customers book.
    const startMs = Math.floor((when.getTime() + rng.int(1, 60) * DAY_MS) / (15 * MINUTE_MS)) * 15 * MINUTE_MS;
    const entry = dataset.createEvent(rng.pick(dataset.hosts), kind, startMs, when.getTime());
    dataset.createInvitee(entry, rng.pick(people), when.getTime(), rng.int(0, 5));
    applied.newBookings += 1;
  }
  for (let i = 0; i < counts.groupJoins; i += 1) {
    const entry = pools.groups.find((e) => e.invitees.length < e.event.invitees_counter.limit);
    if (!entry) break;
    pools.groups.splice(pools.groups.indexOf(entry), 1);
    dataset.joinEvent(entry.event.uri, rng.pick(people), at());
    applied.groupJoins += 1;
  }
  for (let i = 0; i < counts.cancellations && pools.oneOnOne.length > 0; i += 1) {
    dataset.cancelEvent(pools.oneOnOne.pop()!.event.uri, at(), { reason: 'Customer asked to cancel', canceler_type: 'invitee' });
    applied.cancellations += 1;
  }
  for (let i = 0; i < counts.reschedules && pools.oneOnOne.length > 0; i += 1) {
    const entry = pools.oneOnOne.pop()!;
    const when = at();
    dataset.reschedule(entry.invitees[0].uri, new Date(entry.startMs + rng.int(1, 10) * DAY_MS), when);
    applied.reschedules += 1;
  }
  for (let i = 0; i < counts.groupLeaves && pools.groups.length > 0; i += 1) {
    const entry = pools.groups.pop()!;
    dataset.cancelInvitee(rng.pick(entry.invitees.filter(active)).uri, at());
    applied.groupLeaves += 1;
  }
  for (let i = 0; i < counts.noShows && pools.recentCalls.length > 0; i += 1) {
    const invitee = pools.recentCalls.pop()!.invitees.find((candidate) => active(candidate) && !candidate.no_show);
    if (!invitee) continue;
    dataset.markNoShow(invitee.uri, at(), { bumpUpdatedAt: false });
    applied.noShows += 1;
  }
  return applied;
}

function isGroup(entry: EventEntry): boolean {
  return entry.event.invitees_counter.limit > 1;
}

// The generator's deliberately broken records are refused by the sync: churn leaves them alone.
function hasValidFields(entry: EventEntry): boolean {
  return !Number.isNaN(parseTime(entry.event.start_time)) && typeof entry.event.status === 'string';
}

/** Returning customers book again: the people of the organisation's invitees with an email. */
function customersOf(dataset: SimulatorDataset): PersonInput[] {
  const people = new Map<string, PersonInput>();
  for (const invitee of dataset.allInvitees()) {
    if (typeof invitee.email !== 'string' || people.has(invitee.email)) continue;
    people.set(invitee.email, {
      email: invitee.email, name: invitee.name, firstName: invitee.first_name, lastName: invitee.last_name, timezone: invitee.timezone,
    });
  }
  const list = [...people.values()];
  return list.length > 0 ? list : [{ email: 'new.customer@example.com', name: 'New Customer', firstName: 'New', lastName: 'Customer', timezone: 'UTC' }];
}

function shuffled<T>(rng: Prng, items: T[]): T[] {
  for (let i = items.length - 1; i > 0; i -= 1) {
    const j = rng.int(0, i);
    [items[i], items[j]] = [items[j], items[i]];
  }
  return items;
}
