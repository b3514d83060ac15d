import type { SyncRun } from '../../../entities';
import type { CalendlyInvitee } from '../../../src/calendly/calendly.types';
import type { Database } from '../../../src/db/data-source';
import { DAY_MS, formatCalendlyTime } from '../../../src/simulator/calendly-time';
import { startEmptySimulator, type Simulator } from '../../../src/simulator/simulator.server';
import { openTestDatabase } from '../../helpers/test-db';
import { coordinatorFor, NOW, syncOnce } from './sync-test.helper';

// One sync over an organisation holding one odd record per rule of metrics.md §5, next to good
// ones: the run must succeed, every odd record be refused or stored as the rule says.
describe('runSync with bad input (metrics.md §5)', () => {
  let db: Database;
  let simulator: Simulator;
  let run: SyncRun;
  const daysAgo = (days: number) => formatCalendlyTime(NOW.getTime() - days * DAY_MS);
  const uris: Record<string, string> = {};
  const refused = (type: string, reason: string) => db.dataSource.query(
    'select uri from calendly_rejected_records where run_id = $1 and record_type = $2 and reason = $3 order by uri',
    [run.id, type, reason]).then((rows: { uri: string | null }[]) => rows.map((r) => r.uri));
  const customer = (email: string) => db.dataSource.query(
    'select total_calls_booked, calls_completed, calls_no_show from unified_customers where email = $1', [email])
    .then((rows: Record<string, number>[]) => rows[0]);

  beforeAll(async () => {
    db = await openTestDatabase();
    simulator = await startEmptySimulator({ now: NOW });
    const data = simulator.dataset;
    const booking = (email: string, extra: Partial<CalendlyInvitee> = {}) => {
      const event = data.addEvent({ start_time: daysAgo(3) });
      return { event, invitee: data.addInvitee(event.uri, { email, ...extra }) };
    };

    uris.good = booking('good@example.com').invitee.uri;

    // missing_uri: two events (their invitees cannot be read) and three invitees of a group event
    const noUri = booking('lost1@example.com').event;
    delete (noUri as Partial<typeof noUri>).uri;
    booking('lost2@example.com').event.uri = '  ';
    const group = data.addEvent({ start_time: daysAgo(4), kindIndex: 3 });
    uris.groupMember = data.addInvitee(group.uri, { email: 'member@example.com' }).uri;
    delete (data.addInvitee(group.uri, { email: 'nouri1@example.com' }) as Partial<CalendlyInvitee>).uri;
    data.addInvitee(group.uri, { email: 'nouri2@example.com' }).uri = '';
    (data.addInvitee(group.uri, { email: 'nouri3@example.com' }) as unknown as { uri: number }).uri = 42;

    // invalid_email: no '@', and over 254 characters after trimming (one of them ~3 KB); 254 is fine
    uris.noAt = booking('not-an-email').invitee.uri;
    uris.tooLong = booking(`${'x'.repeat(251)}@ex.com`).invitee.uri;
    uris.huge = booking(`${'y'.repeat(3000)}@example.com`).invitee.uri;
    uris.longest = booking(` ${'z'.repeat(242)}@example.com\t`).invitee.uri;

    // characters PostgreSQL cannot store, in values, keys, nested answers and the email itself
    const odd = booking('odd\u0000@example.com', {
      name: 'Ann\u0000ie \ud800',
      questions_and_answers: [{ question: 'Why?', answer: 'Because \udc00\u0000', position: 0 }],
    }).invitee;
    (odd as unknown as Record<string, unknown>)['k\u0000\ud83d'] = { 'nested\udfff': 'v\u0000' };
    uris.odd = odd.uri;

    // no_show that is not an object is no mark; an object is one
    booking('false@example.com', { no_show: false as never });
    booking('true@example.com', { no_show: true as never });
    booking('string@example.com', { no_show: 'yes' as never });
    booking('array@example.com', { no_show: [] as never });
    booking('marked@example.com', { no_show: { uri: 'https://api.calendly.com/invitee_no_shows/X', created_at: daysAgo(2) } });

    run = await syncOnce(coordinatorFor(db, simulator).coordinator);
  });

  afterAll(async () => {
    await simulator?.close();
    await db?.close();
  });

  it('should succeed and count every refusal when odd records come with good ones', async () => {
    // 2 events without uri (their invitees unread), 3 invitees without uri, 3 invalid emails
    expect(run).toMatchObject({ status: 'succeeded', recordsRejected: 8 });
    expect(await customer('good@example.com')).toMatchObject({ total_calls_booked: 1, calls_completed: 1 });
    expect(await customer('member@example.com')).toMatchObject({ total_calls_booked: 1 });
  });

  it('should refuse missing_uri for an event or invitee without a usable uri, and not read the event\'s invitees', async () => {
    expect(await refused('scheduled_event', 'missing_uri')).toEqual([null, null]);
    expect(await refused('invitee', 'missing_uri')).toEqual([null, null, null]);
    const [{ n }] = await db.dataSource.query(
      `select count(*)::int as n from calendly_rejected_records where raw->>'email' like 'lost%'`);
    expect(n).toBe(0);
    expect(await customer('lost1@example.com')).toBeUndefined();
  });

  it('should refuse invalid_email when the trimmed email has no @ or is longer than 254 characters', async () => {
    expect(await refused('invitee', 'invalid_email')).toEqual([uris.noAt, uris.tooLong, uris.huge].sort());
    expect(await customer(`${'z'.repeat(242)}@example.com`)).toMatchObject({ total_calls_booked: 1 });
  });

  it('should store U+0000 and lone surrogates as U+FFFD, in values and keys, and count the booking', async () => {
    const [row] = await db.dataSource.query('select name, email, raw from calendly_event_invitees where uri = $1', [uris.odd]);
    expect(row.name).toBe('Ann\ufffdie \ufffd');
    expect(row.email).toBe('odd\ufffd@example.com');
    expect(row.raw.questions_and_answers[0].answer).toBe('Because \ufffd\ufffd');
    expect(row.raw['k\ufffd\ufffd']).toEqual({ 'nested\ufffd': 'v\ufffd' });
    expect(await customer('odd\ufffd@example.com')).toMatchObject({ total_calls_booked: 1, calls_completed: 1 });
  });

  it('should read a no_show that is not an object as no mark', async () => {
    for (const email of ['false', 'true', 'string', 'array']) {
      expect(await customer(`${email}@example.com`)).toMatchObject({ calls_completed: 1, calls_no_show: 0 });
    }
    expect(await customer('marked@example.com')).toMatchObject({ calls_completed: 0, calls_no_show: 1 });
  });
});
