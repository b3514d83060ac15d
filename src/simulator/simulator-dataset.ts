import type {
  CalendlyCancellation,
  CalendlyInvitee,
  CalendlyLocation,
  CalendlyQuestionAndAnswer,
  CalendlyScheduledEvent,
  CalendlyTracking,
  CalendlyUser,
} from '../calendly/calendly.types';
import { DAY_MS, MINUTE_MS, formatCalendlyTime, parseTime } from './calendly-time';
import { Prng } from './prng';

export const API_ROOT = 'https://api.calendly.com';

export interface SimulatorHost {
  uri: string;
  name: string;
  email: string;
  slug: string;
  timezone: string;
}

export interface EventKind {
  name: string;
  minutes: number;
  /** Invitee limit: 1 for one-on-one events, more for group events. */
  limit: number;
}

export const EVENT_KINDS: readonly EventKind[] = [
  { name: '30 Minute Meeting', minutes: 30, limit: 1 },
  { name: 'Onboarding Call', minutes: 45, limit: 1 },
  { name: 'Quarterly Business Review', minutes: 60, limit: 1 },
  { name: 'Group Product Demo', minutes: 60, limit: 10 },
  { name: 'Office Hours', minutes: 30, limit: 6 },
];

export interface PersonInput {
  email?: string | null;
  name: string;
  firstName: string | null;
  lastName: string | null;
  timezone: string | null;
}

/** What the server indexes per event: the payload plus the instant used for filtering and sorting. */
export interface EventEntry {
  event: CalendlyScheduledEvent;
  /** The intended start, also for records whose `start_time` is deliberately invalid. */
  startMs: number;
  invitees: CalendlyInvitee[];
}

type EventPartial = Partial<CalendlyScheduledEvent> & { hostIndex?: number; kindIndex?: number };
type InviteePartial = Partial<CalendlyInvitee>;

const NULL_TRACKING: Readonly<CalendlyTracking> = Object.freeze({
  utm_campaign: null, utm_source: null, utm_medium: null, utm_content: null, utm_term: null, salesforce_uuid: null,
});
const QUESTION = 'What would you like to discuss?';
const ANSWERS = ['Pricing and plans', 'Onboarding the rest of my team', 'Renewal', 'Integration questions', 'A billing issue'];
const QA_POOL: ReadonlyArray<readonly CalendlyQuestionAndAnswer[]> = [
  Object.freeze([]),
  ...ANSWERS.map((answer) => Object.freeze([Object.freeze({ question: QUESTION, answer, position: 0 })])),
];

/**
 * The simulator's data: API-shaped events and invitees plus indexes, and mutation helpers
 * for tests of later runs. Every mutation moves `updated_at` forward.
 */
export class SimulatorDataset {
  readonly organizationUri: string;
  readonly hosts: SimulatorHost[] = [];
  /** Every event, in insertion order. */
  readonly events: CalendlyScheduledEvent[] = [];
  /** Invitees grouped by event URI. */
  readonly inviteesByEvent = new Map<string, CalendlyInvitee[]>();
  readonly now: Date;

  private readonly ids: Prng;
  private readonly entriesByUri = new Map<string, EventEntry>();
  private readonly entriesByUuid = new Map<string, EventEntry>();
  private readonly inviteeIndex = new Map<string, { invitee: CalendlyInvitee; entry: EventEntry }>();
  private readonly eventTypeUris = new Map<string, string>();
  private sorted: EventEntry[] | null = null;

  constructor(options: { seed: number; now: Date; hosts?: number }) {
    this.now = options.now;
    this.ids = new Prng(options.seed ^ 0x5eed1d5);
    this.organizationUri = `${API_ROOT}/organizations/${this.newId()}`;
    for (let i = 0; i < Math.max(1, options.hosts ?? 3); i += 1) this.hosts.push(this.makeHost(i));
  }

  /** The `/users/me` resource: the first host, an organisation owner. */
  currentUser(): CalendlyUser {
    const host = this.hosts[0];
    const created = formatCalendlyTime(this.now.getTime() - 400 * DAY_MS);
    return {
      uri: host.uri,
      name: host.name,
      slug: host.slug,
      email: host.email,
      scheduling_url: `https://calendly.com/${host.slug}`,
      timezone: host.timezone,
      avatar_url: null,
      created_at: created,
      updated_at: created,
      current_organization: this.organizationUri,
      resource_type: 'User',
      locale: 'en',
    };
  }

  // ---- reads -------------------------------------------------------------------------------

  getEvent(eventUri: string): CalendlyScheduledEvent | undefined {
    return this.entriesByUri.get(eventUri)?.event;
  }

  getInvitee(inviteeUri: string): CalendlyInvitee | undefined {
    return this.inviteeIndex.get(inviteeUri)?.invitee;
  }

  findEntryByUuid(uuid: string): EventEntry | undefined {
    return this.entriesByUuid.get(uuid);
  }

  allInvitees(): CalendlyInvitee[] {
    const all: CalendlyInvitee[] = [];
    for (const event of this.events) all.push(...(this.inviteesByEvent.get(event.uri) ?? []));
    return all;
  }

  inviteeCount(): number {
    return this.inviteeIndex.size;
  }

  /** Entries ordered by start (then uri); rebuilt lazily after a change. */
  sortedEntries(): EventEntry[] {
    if (!this.sorted) {
      this.sorted = [...this.entriesByUri.values()].sort((a, b) => a.startMs - b.startMs || (a.event.uri < b.event.uri ? -1 : 1));
    }
    return this.sorted;
  }

  // ---- building ----------------------------------------------------------------------------

  /** Adds an event; fields in `partial` win over the generated ones (an `undefined` value removes the key). */
  addEvent(partial: EventPartial = {}): CalendlyScheduledEvent {
    const { hostIndex = 0, kindIndex = 0, ...fields } = partial;
    const host = this.hosts[hostIndex % this.hosts.length];
    const kind = EVENT_KINDS[kindIndex % EVENT_KINDS.length];
    const parsedStart = parseTime(fields.start_time);
    const startMs = Number.isNaN(parsedStart) ? this.now.getTime() + DAY_MS : parsedStart;
    const entry = this.createEvent(host, kind, startMs, Math.min(startMs, this.now.getTime()) - 2 * DAY_MS);
    if (fields.status === 'canceled' && !('cancellation' in fields)) {
      entry.event.cancellation = { canceled_by: host.name, reason: 'Host had a conflict', canceler_type: 'host', created_at: entry.event.created_at };
    }
    applyPartial(entry.event, fields);
    if (fields.uri !== undefined) this.reindexEvent(entry, fields.uri);
    return entry.event;
  }

  /** Adds an invitee to an event; fields in `partial` win (an `undefined` value removes the key). */
  addInvitee(eventUri: string, partial: InviteePartial = {}): CalendlyInvitee {
    const entry = this.requireEntry(eventUri);
    const person = personFromEmail(partial.email ?? `guest${this.inviteeIndex.size + 1}@example.com`);
    const createdMs = parseTime(entry.event.created_at);
    const invitee = this.createInvitee(entry, person, Number.isNaN(createdMs) ? this.now.getTime() : createdMs);
    const { uri } = invitee;
    if (partial.status === 'canceled' && !('cancellation' in partial)) {
      invitee.cancellation = {
        canceled_by: partial.name ?? invitee.name, reason: partial.rescheduled ? 'Rescheduled' : 'Can no longer make it',
        canceler_type: 'invitee', created_at: partial.updated_at ?? invitee.updated_at,
      };
    }
    applyPartial(invitee, partial);
    if (partial.uri !== undefined && partial.uri !== uri) {
      this.inviteeIndex.delete(uri);
      this.inviteeIndex.set(invitee.uri, { invitee, entry });
    }
    this.refreshCounter(entry);
    return invitee;
  }

  /** Internal builder used by the generator: an event with generated ids and no invitees. */
  createEvent(host: SimulatorHost, kind: EventKind, startMs: number, createdMs: number, coHosts: SimulatorHost[] = []): EventEntry {
    const uuid = this.newId();
    const endMs = startMs + kind.minutes * MINUTE_MS;
    const created = formatCalendlyTime(createdMs);
    const start = formatCalendlyTime(startMs);
    const end = formatCalendlyTime(endMs);
    const event: CalendlyScheduledEvent = {
      uri: `${API_ROOT}/scheduled_events/${uuid}`,
      name: kind.name,
      meeting_notes_plain: null,
      meeting_notes_html: null,
      status: 'active',
      start_time: start,
      end_time: end,
      event_type: this.eventTypeUri(host, kind),
      location: locationFor(uuid, kind),
      invitees_counter: { total: 0, active: 0, limit: kind.limit },
      created_at: created,
      updated_at: created,
      event_memberships: [host, ...coHosts].map((h) => ({
        user: h.uri, user_email: h.email, user_name: h.name, buffered_start_time: start, buffered_end_time: end,
      })),
      event_guests: [],
      calendar_event: { kind: 'google', external_id: uuid.toLowerCase() },
    };
    const entry: EventEntry = { event, startMs, invitees: [] };
    this.indexEntry(entry);
    return entry;
  }

  /** Internal builder used by the generator: an active invitee of `entry`. */
  createInvitee(entry: EventEntry, person: PersonInput, createdMs: number, qaIndex = 0): CalendlyInvitee {
    const uuid = this.newId();
    const created = formatCalendlyTime(createdMs);
    const invitee: CalendlyInvitee = {
      uri: `${entry.event.uri}/invitees/${uuid}`,
      email: person.email,
      name: person.name,
      first_name: person.firstName,
      last_name: person.lastName,
      status: 'active',
      timezone: person.timezone,
      event: entry.event.uri,
      created_at: created,
      updated_at: created,
      rescheduled: false,
      old_invitee: null,
      new_invitee: null,
      cancel_url: `https://calendly.com/cancellations/${uuid}`,
      reschedule_url: `https://calendly.com/reschedulings/${uuid}`,
      no_show: null,
      questions_and_answers: QA_POOL[qaIndex % QA_POOL.length] as CalendlyQuestionAndAnswer[],
      tracking: NULL_TRACKING as CalendlyTracking,
      text_reminder_number: null,
      routing_form_submission: null,
      payment: null,
      reconfirmation: null,
      scheduling_method: null,
      invitee_scheduled_by: null,
    };
    // `undefined` means the key is missing from the payload, as Calendly sometimes sends it.
    if (person.email === undefined) delete invitee.email;
    entry.invitees.push(invitee);
    this.inviteeIndex.set(invitee.uri, { invitee, entry });
    this.refreshCounter(entry);
    return invitee;
  }

  // ---- mutations ---------------------------------------------------------------------------

  /** Someone books a seat of an existing (group) event at `at`: the counter and the event's `updated_at` move. */
  joinEvent(eventUri: string, person: PersonInput, at: Date): CalendlyInvitee {
    const entry = this.requireEntry(eventUri);
    const invitee = this.createInvitee(entry, person, at.getTime());
    bump(entry.event, at.getTime());
    return invitee;
  }

  /** The host marks the invitee as a no-show (POST /invitee_no_shows). */
  markNoShow(inviteeUri: string, at: Date, options: { bumpUpdatedAt?: boolean } = {}): CalendlyInvitee {
    const { invitee } = this.requireInvitee(inviteeUri);
    invitee.no_show = { uri: `${API_ROOT}/invitee_no_shows/${this.newId()}`, created_at: formatCalendlyTime(at.getTime()) };
    if (options.bumpUpdatedAt !== false) bump(invitee, at.getTime());
    return invitee;
  }

  /** The host removes a no-show mark (DELETE /invitee_no_shows/{uuid}). */
  unmarkNoShow(inviteeUri: string, at: Date = new Date()): CalendlyInvitee {
    const { invitee } = this.requireInvitee(inviteeUri);
    invitee.no_show = null;
    bump(invitee, at.getTime());
    return invitee;
  }

  /** The host cancels the whole event; its active invitees are canceled with it. */
  cancelEvent(eventUri: string, at: Date, cancellation: Partial<CalendlyCancellation> = {}): CalendlyScheduledEvent {
    const entry = this.requireEntry(eventUri);
    const host = entry.event.event_memberships[0];
    const record: CalendlyCancellation = {
      canceled_by: host?.user_name ?? 'Host',
      reason: 'Host had a conflict',
      canceler_type: 'host',
      created_at: formatCalendlyTime(at.getTime()),
      ...cancellation,
    };
    this.markEventCanceled(entry, record, at.getTime());
    for (const invitee of entry.invitees) {
      if (invitee.status !== 'active') continue;
      invitee.status = 'canceled';
      invitee.cancellation = { ...record };
      bump(invitee, at.getTime());
    }
    this.refreshCounter(entry);
    return entry.event;
  }

  /** One invitee cancels; when no active invitee is left (always for one-on-one), the event is canceled too. */
  cancelInvitee(inviteeUri: string, at: Date, reason: string | null = 'Can no longer make it'): CalendlyInvitee {
    const { invitee, entry } = this.requireInvitee(inviteeUri);
    const record: CalendlyCancellation = {
      canceled_by: invitee.name, reason, canceler_type: 'invitee', created_at: formatCalendlyTime(at.getTime()),
    };
    invitee.status = 'canceled';
    invitee.cancellation = record;
    bump(invitee, at.getTime());
    this.refreshCounter(entry);
    if (entry.invitees.every((i) => i.status !== 'active')) this.markEventCanceled(entry, { ...record }, at.getTime());
    return invitee;
  }

  /**
   * The invitee moves to `newStart`: a new event (same host and kind) with a new invitee that
   * carries `old_invitee`; the old invitee is canceled with `rescheduled: true` and `new_invitee`.
   */
  reschedule(inviteeUri: string, newStart: Date, at: Date = this.now): { event: CalendlyScheduledEvent; invitee: CalendlyInvitee } {
    const { invitee: old, entry: oldEntry } = this.requireInvitee(inviteeUri);
    const membership = oldEntry.event.event_memberships;
    const host = this.hosts.find((h) => h.uri === membership[0]?.user) ?? this.hosts[0];
    const coHosts = membership.slice(1).map((m) => this.hosts.find((h) => h.uri === m.user)).filter((h): h is SimulatorHost => !!h);
    const kind = EVENT_KINDS.find((k) => k.name === oldEntry.event.name) ?? EVENT_KINDS[0];
    const entry = this.createEvent(host, kind, newStart.getTime(), at.getTime(), coHosts);
    const person: PersonInput = {
      email: old.email, name: old.name, firstName: old.first_name, lastName: old.last_name, timezone: old.timezone,
    };
    if (!('email' in old)) person.email = undefined;
    const replacement = this.createInvitee(entry, person, at.getTime());
    replacement.old_invitee = old.uri;
    replacement.questions_and_answers = old.questions_and_answers;

    this.cancelInvitee(old.uri, at, 'Rescheduled');
    old.rescheduled = true;
    old.new_invitee = replacement.uri;
    return { event: entry.event, invitee: replacement };
  }

  /**
   * The event is deleted: the API no longer returns it or its invitees, and (as in Calendly)
   * nothing says so. `restore()` serves it again as it was, for tests of a record seen again.
   */
  removeEvent(eventUri: string): { restore(): void } {
    const entry = this.requireEntry(eventUri);
    this.events.splice(this.events.indexOf(entry.event), 1);
    this.inviteesByEvent.delete(eventUri);
    this.entriesByUri.delete(eventUri);
    this.entriesByUuid.delete(uuidOfUri(eventUri));
    for (const invitee of entry.invitees) this.inviteeIndex.delete(invitee.uri);
    this.sorted = null;
    return { restore: () => this.indexEntry(entry) };
  }

  /** The invitee disappears from its event's invitee list (e.g. removed from a group event); `restore()` undoes it. */
  removeInvitee(inviteeUri: string): { restore(): void } {
    const { invitee, entry } = this.requireInvitee(inviteeUri);
    entry.invitees.splice(entry.invitees.indexOf(invitee), 1);
    this.inviteeIndex.delete(inviteeUri);
    this.refreshCounter(entry);
    return {
      restore: () => {
        entry.invitees.push(invitee);
        this.inviteeIndex.set(invitee.uri, { invitee, entry });
        this.refreshCounter(entry);
      },
    };
  }

  // ---- internals ---------------------------------------------------------------------------

  private indexEntry(entry: EventEntry): void {
    const { event } = entry;
    this.events.push(event);
    this.inviteesByEvent.set(event.uri, entry.invitees);
    this.entriesByUri.set(event.uri, entry);
    this.entriesByUuid.set(uuidOfUri(event.uri), entry);
    for (const invitee of entry.invitees) this.inviteeIndex.set(invitee.uri, { invitee, entry });
    this.sorted = null;
  }

  /** 16 random characters from 36: collisions are negligible at simulator sizes, so no set of used ids is kept. */
  newId(): string {
    return this.ids.uuid();
  }

  private markEventCanceled(entry: EventEntry, cancellation: CalendlyCancellation, atMs: number): void {
    entry.event.status = 'canceled';
    entry.event.cancellation = cancellation;
    bump(entry.event, atMs);
  }

  private refreshCounter(entry: EventEntry): void {
    const counter = entry.event.invitees_counter;
    counter.total = entry.invitees.length;
    counter.active = entry.invitees.filter((i) => i.status === 'active').length;
  }

  private reindexEvent(entry: EventEntry, uri: string): void {
    for (const [oldUri, candidate] of this.entriesByUri) {
      if (candidate === entry && oldUri !== uri) {
        this.entriesByUri.delete(oldUri);
        this.inviteesByEvent.delete(oldUri);
        this.entriesByUuid.delete(uuidOfUri(oldUri));
      }
    }
    this.entriesByUri.set(uri, entry);
    this.inviteesByEvent.set(uri, entry.invitees);
    this.entriesByUuid.set(uuidOfUri(uri), entry);
    this.sorted = null;
  }

  private requireEntry(eventUri: string): EventEntry {
    const entry = this.entriesByUri.get(eventUri);
    if (!entry) throw new Error(`simulator: no event ${eventUri}`);
    return entry;
  }

  private requireInvitee(inviteeUri: string): { invitee: CalendlyInvitee; entry: EventEntry } {
    const found = this.inviteeIndex.get(inviteeUri);
    if (!found) throw new Error(`simulator: no invitee ${inviteeUri}`);
    return found;
  }

  private makeHost(index: number): SimulatorHost {
    const first = HOST_FIRST_NAMES[index % HOST_FIRST_NAMES.length];
    const last = HOST_LAST_NAMES[Math.floor(index / HOST_FIRST_NAMES.length + index) % HOST_LAST_NAMES.length];
    const suffix = index >= HOST_FIRST_NAMES.length ? String(index) : '';
    const slug = `${first}-${last}${suffix}`.toLowerCase();
    return {
      uri: `${API_ROOT}/users/${this.newId()}`,
      name: `${first} ${last}`,
      email: `${first}.${last}${suffix}@acme-success.com`.toLowerCase(),
      slug,
      timezone: HOST_TIMEZONES[index % HOST_TIMEZONES.length],
    };
  }

  private eventTypeUri(host: SimulatorHost, kind: EventKind): string {
    const key = `${host.uri}|${kind.name}`;
    let uri = this.eventTypeUris.get(key);
    if (!uri) {
      uri = `${API_ROOT}/event_types/${this.newId()}`;
      this.eventTypeUris.set(key, uri);
    }
    return uri;
  }
}

const HOST_FIRST_NAMES = ['Maya', 'Jonas', 'Priya', 'Diego', 'Hannah', 'Kenji', 'Amara', 'Lucas', 'Sofia', 'Omar'];
const HOST_LAST_NAMES = ['Lindqvist', 'Okafor', 'Rahman', 'Moreau', 'Castillo', 'Nakamura', 'Fischer', 'Adeyemi', 'Novak', 'Brennan'];
const HOST_TIMEZONES = ['America/New_York', 'Europe/Berlin', 'America/Los_Angeles', 'Europe/London', 'Asia/Singapore'];

function uuidOfUri(uri: string): string {
  return uri.slice(uri.lastIndexOf('/') + 1);
}

/** Moves `updated_at` to `atMs`, or just past the current value so it never goes backwards. */
function bump(record: { updated_at: string }, atMs: number): void {
  const current = parseTime(record.updated_at);
  const next = Number.isNaN(current) ? atMs : Math.max(atMs, current + 1);
  record.updated_at = formatCalendlyTime(next);
}

function applyPartial<T extends object>(target: T, partial: Partial<T>): void {
  for (const [key, value] of Object.entries(partial)) {
    if (value === undefined) delete (target as Record<string, unknown>)[key];
    else (target as Record<string, unknown>)[key] = value;
  }
}

function personFromEmail(email: string | null): PersonInput {
  const local = (email ?? 'guest').trim().split('@')[0];
  const [first, last] = local.split(/[._-]/);
  const cap = (s: string | undefined) => (s ? s[0].toUpperCase() + s.slice(1) : null);
  const firstName = cap(first);
  const lastName = cap(last);
  return { email, name: [firstName, lastName].filter(Boolean).join(' ') || 'Guest', firstName, lastName, timezone: 'UTC' };
}

function locationFor(uuid: string, kind: EventKind): CalendlyLocation {
  if (kind.limit > 1) return { type: 'zoom', status: 'pushed', join_url: `https://zoom.us/j/${parseInt(uuid.slice(0, 6), 36)}` };
  return { type: 'google_conference', status: 'pushed', join_url: `https://meet.google.com/${uuid.slice(0, 10).toLowerCase()}` };
}
