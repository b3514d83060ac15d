import type { DataSource } from 'typeorm';
import {
  AS_OF, alertRows, customerRows, daysFromAsOf, givenCustomerFromAnotherSource, givenEvent, givenInvitee,
  useModelTestDatabase, runModelsAt, type CustomerRow,
} from './sql-models.helper';

// An independent count: a varied random landing dataset (seeded), every metric recomputed in
// TypeScript straight from metrics.md, compared with what the models wrote, row by row.

const DAY = 24 * 60 * 60 * 1000;
const WINDOW_START = daysFromAsOf(-90).getTime();
const WINDOW_END = daysFromAsOf(90).getTime();

/** mulberry32: small, seeded, good enough for test data. */
function prng(seed: number): () => number {
  let a = seed;
  return () => {
    a = (a + 0x6d2b79f5) | 0;
    let t = Math.imul(a ^ (a >>> 15), 1 | a);
    t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t;
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

interface LandingBooking {
  inviteeUri: string;
  email: string | null;
  startMs: number;
  eventStatus: 'active' | 'canceled';
  inviteeStatus: 'active' | 'canceled';
  rescheduled: boolean;
  noShow: boolean;
  organizerName: string | null;
  organizerEmail: string | null;
}

interface OtherSourceRow {
  email: string;
  assigned_am?: string | null;
  assigned_am_email?: string | null;
  assigned_am_source?: string | null;
  hubspot_owner_email?: string | null;
  is_high_value?: boolean | null;
}

/** §1–§2 computed from the landing rows, with nothing shared with the SQL. */
function expectedCustomers(bookings: LandingBooking[], others: OtherSourceRow[]): { rows: Map<string, Partial<CustomerRow>>; figures: unknown } {
  const asOf = AS_OF.getTime();
  const byCustomer = new Map<string, LandingBooking[]>();
  for (const b of bookings) {
    const key = (b.email ?? '').trim().toLowerCase();
    if (key === '' || b.startMs < WINDOW_START || b.startMs > WINDOW_END) continue;
    byCustomer.set(key, [...(byCustomer.get(key) ?? []), b]);
  }
  const rows = new Map<string, Partial<CustomerRow>>();
  const rates: number[] = [];
  let noShows = 0;
  let upcoming = 0;
  for (const [email, list] of byCustomer) {
    const counted = list.filter((b) => !b.rescheduled);
    const canceled = (b: LandingBooking) => b.eventStatus === 'canceled' || b.inviteeStatus === 'canceled';
    const due = counted.filter((b) => b.startMs <= asOf);
    const noShowList = due.filter((b) => !canceled(b) && b.noShow);
    const completedList = due.filter((b) => !canceled(b) && !b.noShow);
    const upcomingList = counted.filter((b) => b.startMs > asOf && !canceled(b));
    // round(100 * completed / due, 2), half away from zero, in exact integer arithmetic
    let showRate: number | null = null;
    if (due.length > 0) {
      const n = completedList.length * 10000;
      let q = Math.floor(n / due.length);
      if (2 * (n - q * due.length) >= due.length) q += 1;
      showRate = q / 100;
      rates.push(q);
    }
    const lastCall = completedList.length ? Math.max(...completedList.map((b) => b.startMs)) : null;
    const nextCall = upcomingList.length ? Math.min(...upcomingList.map((b) => b.startMs)) : null;
    // newest first among due non-canceled: no-shows before the first completed one
    const ordered = due.filter((b) => !canceled(b)).sort((x, y) => y.startMs - x.startMs);
    let streak = 0;
    for (const b of ordered) {
      if (!b.noShow) break;
      if (lastCall !== null && b.startMs <= lastCall) break; // same instant as the last completed call: not before it
      streak += 1;
    }
    const notCanceled = counted.filter((b) => !canceled(b));
    const pool = notCanceled.length ? notCanceled : counted;
    const latest = [...pool].sort((x, y) => y.startMs - x.startMs || (x.inviteeUri < y.inviteeUri ? -1 : 1))[0];

    const factors: { score: string; factor: string; points: number }[] = [];
    const add = (score: string, factor: string, points: number, when: boolean) => { if (when) factors.push({ score, factor, points }); };
    add('quality', 'has_booking', 15, counted.length >= 1);
    add('quality', 'show_rate_above_80', 10, showRate !== null && showRate > 80);
    add('quality', 'has_upcoming_call', 10, nextCall !== null);
    add('quality', 'called_in_last_30_days', 5, lastCall !== null && lastCall >= asOf - 30 * DAY);
    add('health', 'has_upcoming_call', 5, nextCall !== null);
    add('health', 'show_rate_above_80', 5, showRate !== null && showRate > 80);
    add('health', 'called_in_last_14_days', 5, lastCall !== null && lastCall >= asOf - 14 * DAY);
    add('health', 'show_rate_below_50', -10, showRate !== null && showRate < 50);
    add('health', 'no_show_streak_3_plus', -15, streak >= 3);
    add('health', 'no_call_in_90_days', -10, lastCall === null || lastCall < asOf - 90 * DAY);
    const sum = (score: string) => factors.filter((f) => f.score === score).reduce((s, f) => s + f.points, 0);

    const organizerName = latest?.organizerName ?? null;
    const organizerEmail = latest?.organizerEmail ?? null;
    const other = others.find((o) => o.email === email);
    const blank = (v: string | null | undefined) => v === null || v === undefined || v.trim() === '';
    const takesOrganizer = (organizerName !== null || organizerEmail !== null)
      && (other === undefined || other.assigned_am_source === 'calendly' || (blank(other.assigned_am) && blank(other.assigned_am_email)));
    noShows += noShowList.length;
    upcoming += upcomingList.length;
    rows.set(email, {
      email,
      total_calls_booked: counted.length,
      calls_completed: completedList.length,
      calls_no_show: noShowList.length,
      calls_canceled: counted.filter(canceled).length,
      calls_rescheduled: list.length - counted.length,
      calls_upcoming: upcomingList.length,
      show_rate: showRate,
      last_call_date: lastCall === null ? null : new Date(lastCall),
      next_call_date: nextCall === null ? null : new Date(nextCall),
      current_no_show_streak: streak,
      calendly_organizer_name: organizerName,
      calendly_organizer_email: organizerEmail,
      calendly_user_id: latest?.inviteeUri ?? null,
      assigned_am: takesOrganizer ? organizerName : other?.assigned_am ?? null,
      assigned_am_email: takesOrganizer ? organizerEmail : other?.assigned_am_email ?? null,
      assigned_am_source: takesOrganizer ? 'calendly' : other?.assigned_am_source ?? null,
      calendly_quality_points: sum('quality'),
      calendly_health_points: sum('health'),
      calendly_score_factors: factors,
      last_calendly_sync: AS_OF,
    });
  }
  let avg: number | null = null;
  if (rates.length) {
    const s = rates.reduce((a, b) => a + b, 0);
    let q = Math.floor(s / rates.length);
    if (2 * (s - q * rates.length) >= rates.length) q += 1;
    avg = q / 100;
  }
  return { rows, figures: { customersUpdated: byCustomer.size, noShowsDetected: noShows, upcomingCalls: upcoming, avgShowRate: avg } };
}

describe('unified_customers independent count (metrics.md §1–§4)', () => {
  let ds: DataSource;
  useModelTestDatabase((ready) => {
    ds = ready;
  });

  it('should match an independent TypeScript count of every metric for a random dataset', async () => {
    // Arrange
    const random = prng(20260301);
    const pick = <T>(items: readonly T[]): T => items[Math.floor(random() * items.length)];
    const names = Array.from({ length: 40 }, (_, i) => `cust${i}@example.com`);
    const spellings = (email: string) => [email, email.toUpperCase(), ` ${email}`, `\t${email}\r\n`, `${email} `, email.replace('cust', 'Cust')];
    const hosts = [['Ann Host', 'ann@vendor.test'], ['Ben Host', 'ben@vendor.test'], ['Cy Host', 'CY@vendor.test'], [null, null]] as const;
    // instants that sit on a rule's boundary, plus a shared instant for ties
    const special = [AS_OF.getTime(), AS_OF.getTime() + 1, WINDOW_START, WINDOW_START - 1, WINDOW_END, WINDOW_END + 1,
      daysFromAsOf(-30).getTime(), daysFromAsOf(-14).getTime(), daysFromAsOf(-5).getTime()];
    const bookings: LandingBooking[] = [];
    for (let e = 0; e < 220; e += 1) {
      const startMs = random() < 0.15 ? pick(special)
        : AS_OF.getTime() + Math.round((random() * 240 - 120) * 24) * 60 * 60 * 1000;
      const [organizerName, organizerEmail] = pick(hosts);
      const eventStatus = random() < 0.12 ? 'canceled' : 'active';
      const eventUri = await givenEvent(ds, { start: new Date(startMs), status: eventStatus, organizerName, organizerEmail });
      const invitees = random() < 0.15 ? 2 + Math.floor(random() * 3) : 1; // some group events
      for (let i = 0; i < invitees; i += 1) {
        const r = random();
        const email = r < 0.03 ? pick(['', '   ', '\t\n']) : pick(spellings(pick(names)));
        const b: LandingBooking = {
          inviteeUri: '', email, startMs, eventStatus, organizerName, organizerEmail,
          inviteeStatus: random() < 0.08 ? 'canceled' : 'active',
          rescheduled: random() < 0.1,
          noShow: random() < 0.25,
        };
        b.inviteeUri = await givenInvitee(ds, {
          eventUri, email: b.email, status: b.inviteeStatus, rescheduled: b.rescheduled, noShow: b.noShow,
        });
        bookings.push(b);
      }
    }
    // hand-picked cases the random draw may miss: a streak, nothing due yet, a no-show and a
    // completed call at the same instant (one group event), a rescheduled-only customer
    const handPicked: [string, number, Partial<LandingBooking>][] = [
      ['streak@example.com', -10, {}], ['streak@example.com', -3, { noShow: true }], ['streak@example.com', -2, { noShow: true }],
      ['streak@example.com', -1, { noShow: true }], ['future@example.com', 5, {}], ['future@example.com', 6, { eventStatus: 'canceled' }],
      ['moved@example.com', -6, { rescheduled: true }],
    ];
    for (const [email, days, overrides] of handPicked) {
      const b: LandingBooking = {
        inviteeUri: '', email, startMs: daysFromAsOf(days).getTime(), eventStatus: 'active', inviteeStatus: 'active',
        rescheduled: false, noShow: false, organizerName: 'Ann Host', organizerEmail: 'ann@vendor.test', ...overrides,
      };
      const eventUri = await givenEvent(ds, { start: new Date(b.startMs), status: b.eventStatus, organizerName: b.organizerName, organizerEmail: b.organizerEmail });
      b.inviteeUri = await givenInvitee(ds, { eventUri, email, rescheduled: b.rescheduled, noShow: b.noShow });
      bookings.push(b);
    }
    const tieEvent = await givenEvent(ds, { start: daysFromAsOf(-4), organizerName: 'Ben Host', organizerEmail: 'ben@vendor.test' });
    for (const noShow of [true, false]) {
      const b: LandingBooking = {
        inviteeUri: '', email: 'Tie@example.com', startMs: daysFromAsOf(-4).getTime(), eventStatus: 'active', inviteeStatus: 'active',
        rescheduled: false, noShow, organizerName: 'Ben Host', organizerEmail: 'ben@vendor.test',
      };
      b.inviteeUri = await givenInvitee(ds, { eventUri: tieEvent, email: b.email, noShow });
      bookings.push(b);
    }
    const others: OtherSourceRow[] = [
      { email: 'cust1@example.com', assigned_am: 'Cara CRM', assigned_am_email: 'cara@vendor.test', assigned_am_source: 'hubspot', hubspot_owner_email: 'cara@vendor.test' },
      { email: 'cust2@example.com', hubspot_owner_email: 'ANN@vendor.test ', is_high_value: true },
      { email: 'cust3@example.com', assigned_am: ' ', is_high_value: false },
      { email: 'vip-without-calls@example.com', is_high_value: true },
    ];
    for (const o of others) await givenCustomerFromAnotherSource(ds, { ...o });
    const expected = expectedCustomers(bookings, others);

    // Act
    const { figures } = await runModelsAt(ds);

    // Assert
    const actual = await customerRows(ds);
    const written = actual.filter((r) => r.last_calendly_sync !== null);
    expect(written.map((r) => r.email)).toEqual([...expected.rows.keys()].sort());
    for (const row of written) expect(row).toEqual(expect.objectContaining(expected.rows.get(row.email)));
    expect(figures).toEqual(expected.figures);
    // the dataset really exercises the rules
    const all = [...expected.rows.values()];
    expect(all.some((r) => (r.current_no_show_streak ?? 0) >= 3)).toBe(true);
    expect(all.some((r) => r.show_rate === null)).toBe(true);
    expect(all.some((r) => (r.calls_rescheduled ?? 0) > 0 && (r.calls_canceled ?? 0) > 0)).toBe(true);
    expect(expected.rows.get('tie@example.com')).toMatchObject({ current_no_show_streak: 0, calls_no_show: 1 });

    // and the alerts follow from the rows (metrics.md §3)
    const expectedAlerts = actual.flatMap((r) => {
      const types: string[] = [];
      if (r.show_rate !== null && r.show_rate < 50 && (r.total_calls_booked ?? 0) >= 3) types.push('low_show_rate');
      if ((r.current_no_show_streak ?? 0) >= 3) types.push('no_show_streak');
      if (r.is_high_value === true && r.next_call_date === null) types.push('no_upcoming_calls');
      const a = r.hubspot_owner_email?.trim().toLowerCase();
      const b = r.calendly_organizer_email?.trim().toLowerCase();
      if (a && b && a !== b) types.push('am_change');
      return types.map((t) => `${r.email} ${t}`);
    }).sort();
    const openAlerts = (await alertRows(ds)).filter((a) => a.resolved_at === null).map((a) => `${a.customer_email} ${a.alert_type}`).sort();
    expect(openAlerts).toEqual(expectedAlerts);
    expect(openAlerts).toContain('vip-without-calls@example.com no_upcoming_calls');
  });
});
