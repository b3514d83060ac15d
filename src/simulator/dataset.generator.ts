import { DAY_MS, HOUR_MS, MINUTE_MS } from './calendly-time';
import { Prng } from './prng';
import { EVENT_KINDS, SimulatorDataset, type EventEntry, type PersonInput, type SimulatorHost } from './simulator-dataset';

export interface GenerateDatasetOptions {
  seed?: number;
  /** Scheduled events to generate (reschedules included); 0 gives an empty organisation. */
  events?: number;
  /** Anchor for generated dates; default the current time. */
  now?: Date;
  lookbackDays?: number;
  lookaheadDays?: number;
  /** Sprinkle a few records the sync must refuse (bad start_time, bad status); default true. */
  invalidRecords?: boolean;
}

// Rates chosen so the average event has ~1.3 invitees and customers book several times.
const GROUP_EVENT_RATE = 0.1;
const EVENT_CANCEL_RATE = 0.07;
const RESCHEDULE_RATE = 0.07;
const SECOND_RESCHEDULE_RATE = 0.25;
const LEAVE_GROUP_RATE = 0.1;
const NO_SHOW_RATE = 0.12;
const CO_HOST_RATE = 0.05;
const MISSING_EMAIL_RATE = 0.005;
const MIXED_CASE_RATE = 0.1;
const STRAY_WHITESPACE_RATE = 0.04;
const INVALID_EVENT_RATE = 0.002;

const FIRST_NAMES = ['Alice', 'Bruno', 'Carol', 'Dmitri', 'Elena', 'Farah', 'Gustavo', 'Hiro', 'Ines', 'Jamal', 'Kira', 'Liam',
  'Mei', 'Nadia', 'Oscar', 'Paula', 'Quentin', 'Rosa', 'Samir', 'Tara', 'Umar', 'Vera', 'Wen', 'Ximena', 'Yusuf', 'Zoe'];
const LAST_NAMES = ['Anders', 'Baker', 'Chen', 'Dubois', 'Eriksen', 'Fontaine', 'Garcia', 'Haddad', 'Ivanova', 'Jensen', 'Kowalski',
  'Lopez', 'Muller', 'Nguyen', 'Olsen', 'Patel', 'Quinn', 'Rossi', 'Schmidt', 'Tanaka', 'Usman', 'Varga', 'Walsh', 'Yilmaz'];
const DOMAINS = ['example.com', 'acme.io', 'globex.com', 'initech.net', 'umbrella.co', 'hooli.com', 'stark.industries', 'wayne.co'];
const TIMEZONES = ['America/New_York', 'America/Chicago', 'Europe/Paris', 'Europe/London', 'Asia/Tokyo', 'Australia/Sydney'];

interface Customer {
  email: string;
  firstName: string;
  lastName: string;
  timezone: string;
}

/** Builds a realistic organisation deterministically from the seed and size. */
export function generateDataset(options: GenerateDatasetOptions = {}): SimulatorDataset {
  const seed = options.seed ?? 1;
  const size = Math.max(0, Math.floor(options.events ?? 0));
  const now = options.now ?? new Date();
  const rng = new Prng(seed);
  const dataset = new SimulatorDataset({ seed, now, hosts: clamp(Math.ceil(size / 500), 3, 40) });
  if (size === 0) return dataset;

  const nowMs = now.getTime();
  const windowStart = nowMs - (options.lookbackDays ?? 90) * DAY_MS;
  const windowEnd = nowMs + (options.lookaheadDays ?? 90) * DAY_MS;
  const customers = makeCustomers(rng, Math.max(5, Math.round((size * 1.3) / 3)));
  const rescheduledAway: EventEntry[] = [];

  while (dataset.events.length < size) {
    const host = rng.pick(dataset.hosts);
    const isGroup = rng.chance(GROUP_EVENT_RATE);
    const kind = isGroup ? EVENT_KINDS[rng.int(3, 4)] : EVENT_KINDS[rng.int(0, 2)];
    const startMs = workingSlot(rng, windowStart, windowEnd);
    const createdMs = Math.min(startMs - rng.int(1, 21 * 24) * HOUR_MS, nowMs - rng.int(1, 48) * HOUR_MS);
    const coHosts = !isGroup && rng.chance(CO_HOST_RATE) ? [pickOther(rng, dataset.hosts, host)].filter(Boolean) as SimulatorHost[] : [];
    const entry = dataset.createEvent(host, kind, startMs, createdMs, coHosts);

    const inviteeCount = isGroup ? rng.int(2, 6) : 1;
    const chosen = new Set<Customer>();
    while (chosen.size < inviteeCount) chosen.add(rng.pick(customers));
    for (const customer of chosen) {
      dataset.createInvitee(entry, presentCustomer(rng, customer), createdMs + rng.int(0, 60) * MINUTE_MS, rng.int(0, 5));
    }

    // Changes happen between booking and the call, and never after `now`.
    const changeAt = () => new Date(createdMs + rng.next() * Math.max(0, Math.min(startMs, nowMs) - createdMs));
    const fate = rng.next();
    if (fate < EVENT_CANCEL_RATE) {
      dataset.cancelEvent(entry.event.uri, changeAt(), { reason: rng.pick(['Host had a conflict', 'Customer asked to cancel', null]) });
    } else if (isGroup) {
      for (const invitee of [...entry.invitees]) {
        if (rng.chance(LEAVE_GROUP_RATE)) dataset.cancelInvitee(invitee.uri, changeAt());
      }
    } else if (fate < EVENT_CANCEL_RATE + RESCHEDULE_RATE) {
      let current = entry;
      let hops = rng.chance(SECOND_RESCHEDULE_RATE) ? 2 : 1;
      while (hops > 0 && dataset.events.length < size) {
        const at = new Date(parseMs(current.event.created_at) + rng.next() * Math.max(0, Math.min(current.startMs, nowMs) - parseMs(current.event.created_at)));
        const newStart = Math.min(current.startMs + rng.int(1, 10) * DAY_MS + rng.int(-4, 4) * HOUR_MS, windowEnd - HOUR_MS);
        const moved = dataset.reschedule(current.invitees[0].uri, new Date(Math.max(newStart, at.getTime() + HOUR_MS)), at);
        rescheduledAway.push(current);
        current = dataset.findEntryByUuid(lastSegment(moved.event.uri))!;
        hops -= 1;
      }
    }
  }

  markNoShows(rng, dataset, nowMs);
  if (options.invalidRecords ?? true) corruptSomeEvents(rng, dataset, new Set(rescheduledAway));
  return dataset;
}

/** Hosts mark no-shows after the call, hours or days later; only past, still-active bookings. */
function markNoShows(rng: Prng, dataset: SimulatorDataset, nowMs: number): void {
  for (const entry of dataset.sortedEntries()) {
    const endMs = parseMs(entry.event.end_time);
    if (entry.event.status !== 'active' || endMs >= nowMs) continue;
    for (const invitee of entry.invitees) {
      if (invitee.status !== 'active' || !rng.chance(NO_SHOW_RATE)) continue;
      const markedMs = Math.min(endMs + rng.int(10, 72 * 60) * MINUTE_MS, nowMs - MINUTE_MS);
      if (markedMs <= endMs) continue;
      // Whether a mark moves updated_at is undocumented: leave it alone so the sync cannot rely on it.
      dataset.markNoShow(invitee.uri, new Date(markedMs), { bumpUpdatedAt: false });
    }
  }
}

/** A few events the sync must refuse: impossible or wordy start_time, missing/null/odd status. */
function corruptSomeEvents(rng: Prng, dataset: SimulatorDataset, skip: Set<EventEntry>): void {
  if (dataset.events.length < 50) return;
  const candidates = dataset.sortedEntries().filter((e) => !skip.has(e) && e.invitees.every((i) => !i.old_invitee));
  const count = Math.max(5, Math.round(dataset.events.length * INVALID_EVENT_RATE));
  const corruptions: Array<(entry: EventEntry) => void> = [
    (e) => { e.event.start_time = `${new Date(e.startMs).getUTCFullYear()}-02-30T10:00:00Z`; },
    (e) => { e.event.start_time = 'tomorrow'; },
    (e) => { delete e.event.status; },
    (e) => { e.event.status = null; },
    (e) => { e.event.status = 'pending'; },
  ];
  for (let i = 0; i < count && candidates.length > 0; i += 1) {
    const [entry] = candidates.splice(rng.int(0, candidates.length - 1), 1);
    corruptions[i % corruptions.length](entry);
  }
}

function makeCustomers(rng: Prng, count: number): Customer[] {
  const customers: Customer[] = [];
  const seen = new Set<string>();
  while (customers.length < count) {
    const firstName = rng.pick(FIRST_NAMES);
    const lastName = rng.pick(LAST_NAMES);
    const base = `${firstName}.${lastName}`.toLowerCase();
    let email = `${base}@${rng.pick(DOMAINS)}`;
    for (let n = 2; seen.has(email); n += 1) email = `${base}${n}@${email.split('@')[1]}`;
    seen.add(email);
    customers.push({ email, firstName, lastName, timezone: rng.pick(TIMEZONES) });
  }
  return customers;
}

/** How the customer typed their email this time: sometimes mixed case, stray whitespace, or none at all. */
function presentCustomer(rng: Prng, customer: Customer): PersonInput {
  let email: string | null | undefined = customer.email;
  if (rng.chance(MISSING_EMAIL_RATE)) {
    email = rng.chance(0.5) ? undefined : null;
  } else {
    if (rng.chance(MIXED_CASE_RATE)) {
      const [local, domain] = customer.email.split('@');
      email = rng.chance(0.5) ? `${capitalizeParts(local)}@${domain}` : customer.email.toUpperCase();
    }
    if (rng.chance(STRAY_WHITESPACE_RATE)) email = rng.pick([` ${email}`, `${email} `, `\t${email}`, `${email}\t`, ` ${email}\n`]);
  }
  return {
    email,
    name: `${customer.firstName} ${customer.lastName}`,
    firstName: customer.firstName,
    lastName: customer.lastName,
    timezone: customer.timezone,
  };
}

/** A quarter-hour slot on a weekday between 08:00 and 18:00 UTC. */
function workingSlot(rng: Prng, fromMs: number, toMs: number): number {
  for (let tries = 0; tries < 50; tries += 1) {
    const day = Math.floor((fromMs + rng.next() * (toMs - fromMs)) / DAY_MS) * DAY_MS;
    const ms = day + rng.int(8 * 4, 17 * 4) * 15 * MINUTE_MS;
    const weekday = new Date(ms).getUTCDay();
    if (weekday !== 0 && weekday !== 6 && ms >= fromMs && ms < toMs) return ms;
  }
  // Windows too narrow for a weekday slot: any quarter hour inside.
  return Math.max(fromMs, Math.floor((fromMs + rng.next() * (toMs - fromMs)) / (15 * MINUTE_MS)) * 15 * MINUTE_MS);
}

function pickOther(rng: Prng, hosts: SimulatorHost[], not: SimulatorHost): SimulatorHost | undefined {
  const others = hosts.filter((h) => h !== not);
  return others.length ? rng.pick(others) : undefined;
}

function capitalizeParts(local: string): string {
  return local.split('.').map((p) => (p ? p[0].toUpperCase() + p.slice(1) : p)).join('.');
}

function parseMs(value: string): number {
  return Date.parse(value);
}

function lastSegment(uri: string): string {
  return uri.slice(uri.lastIndexOf('/') + 1);
}

function clamp(value: number, min: number, max: number): number {
  return Math.min(max, Math.max(min, value));
}
