import type { CalendlyScheduledEvent } from '../../../src/calendly/calendly.types';
import type { Database } from '../../../src/db/data-source';
import { DAY_MS, formatCalendlyTime } from '../../../src/simulator/calendly-time';
import { startEmptySimulator, startSimulator, type Simulator } from '../../../src/simulator/simulator.server';
import { openTestDatabase } from '../../helpers/test-db';
import { coordinatorFor, NOW, syncOnce } from './sync-test.helper';

const at = (days: number) => formatCalendlyTime(NOW.getTime() + days * DAY_MS);

// metrics.md §1 "Gone": an event or invitee that a complete read no longer returns stops counting.
describe('runSync with records gone from Calendly', () => {
  let db: Database;
  let simulator: Simulator;
  const booked = (email: string) => db.dataSource.query(
    'select total_calls_booked from unified_customers where email = $1', [email])
    .then((rows: { total_calls_booked: number }[]) => rows[0]?.total_calls_booked);
  const gone = (table: string, uri: string) => db.dataSource.query(
    `select gone_at is not null as is_gone, gone_run_id from ${table} where uri = $1`, [uri])
    .then((rows: { is_gone: boolean; gone_run_id: number | null }[]) => rows[0]);
  const sync = async (env: Record<string, string> = {}) => {
    const run = await syncOnce(coordinatorFor(db, simulator, env).coordinator);
    expect(run.status).toBe('succeeded');
    return run;
  };
  const oneOnOne = (days: number, email: string) => {
    const event = simulator.dataset.addEvent({ start_time: at(days) });
    return { event, invitee: simulator.dataset.addInvitee(event.uri, { email }) };
  };

  beforeAll(async () => {
    db = await openTestDatabase();
    simulator = await startEmptySimulator({ now: NOW });
  });

  afterAll(async () => {
    await simulator?.close();
    await db?.close();
  });

  it('should stop counting an event deleted from Calendly after the next run, and count it again when it is back', async () => {
    // Arrange
    const { event } = oneOnOne(-3, 'deleted@example.com');
    oneOnOne(-3, 'kept@example.com');
    await sync();
    expect(await booked('deleted@example.com')).toBe(1);

    // Act: deleted in Calendly
    const removed = simulator.dataset.removeEvent(event.uri);
    const noticed = await sync();

    // Assert: kept, marked with the run that noticed, counted nowhere
    expect(await gone('calendly_scheduled_events', event.uri)).toEqual({ is_gone: true, gone_run_id: noticed.id });
    expect(await booked('deleted@example.com')).toBe(0);
    expect(await booked('kept@example.com')).toBe(1);

    // Act: seen again, an identical copy of the stored row
    removed.restore();
    await sync();

    // Assert
    expect(await gone('calendly_scheduled_events', event.uri)).toEqual({ is_gone: false, gone_run_id: null });
    expect(await booked('deleted@example.com')).toBe(1);
  });

  it('should stop counting an invitee removed from a group event, and count it again when it is back', async () => {
    // Arrange
    const group = simulator.dataset.addEvent({ start_time: at(-4), kindIndex: 3 });
    simulator.dataset.addInvitee(group.uri, { email: 'stays@example.com' });
    const leaver = simulator.dataset.addInvitee(group.uri, { email: 'removed@example.com' });
    await sync();
    expect(await booked('removed@example.com')).toBe(1);

    // Act
    const removed = simulator.dataset.removeInvitee(leaver.uri);
    const noticed = await sync();

    // Assert
    expect(await gone('calendly_event_invitees', leaver.uri)).toEqual({ is_gone: true, gone_run_id: noticed.id });
    expect(await gone('calendly_scheduled_events', group.uri)).toEqual({ is_gone: false, gone_run_id: null });
    expect(await booked('removed@example.com')).toBe(0);
    expect(await booked('stays@example.com')).toBe(1);

    // Act: back again
    removed.restore();
    await sync();

    // Assert
    expect(await gone('calendly_event_invitees', leaver.uri)).toEqual({ is_gone: false, gone_run_id: null });
    expect(await booked('removed@example.com')).toBe(1);
  });

  it('should not mark gone an event that a refusal shows was still listed', async () => {
    // Arrange
    const { event } = oneOnOne(-6, 'refused-later@example.com');
    await sync();

    // Act: still listed, but now refused (invalid_status), so its new copy is not merged
    (event as Partial<CalendlyScheduledEvent>).status = 'pending';
    const run = await sync();

    // Assert
    expect(run.recordsRejected).toBeGreaterThanOrEqual(2);
    expect(await gone('calendly_scheduled_events', event.uri)).toEqual({ is_gone: false, gone_run_id: null });
    expect(await booked('refused-later@example.com')).toBe(1);
    event.status = 'active';
  });

  it('should count a booking at either end of the window and mark it gone once Calendly no longer returns it', async () => {
    // Arrange: the window is [as_of - 10 days, as_of + 10 days], both ends included (metrics.md §1)
    const narrow = { SYNC_LOOKBACK_DAYS: '10', SYNC_LOOKAHEAD_DAYS: '10' };
    const { event: first } = oneOnOne(-10, 'first-instant@example.com');
    const { event: last } = oneOnOne(10, 'last-instant@example.com');
    await sync(narrow);
    expect(await booked('first-instant@example.com')).toBe(1);
    expect(await booked('last-instant@example.com')).toBe(1);

    // Act: both deleted in Calendly
    simulator.dataset.removeEvent(first.uri);
    simulator.dataset.removeEvent(last.uri);
    const noticed = await sync(narrow);

    // Assert
    expect(await gone('calendly_scheduled_events', first.uri)).toEqual({ is_gone: true, gone_run_id: noticed.id });
    expect(await gone('calendly_scheduled_events', last.uri)).toEqual({ is_gone: true, gone_run_id: noticed.id });
    expect(await booked('first-instant@example.com')).toBe(0);
    expect(await booked('last-instant@example.com')).toBe(0);
  });

  it('should not mark gone what a narrower window did not list', async () => {
    // Arrange: an event 30 days back
    const { event: older } = oneOnOne(-30, 'older@example.com');
    await sync();
    simulator.dataset.removeEvent(older.uri);

    // Act: lookback and lookahead of 10 days: `older` lies outside
    await sync({ SYNC_LOOKBACK_DAYS: '10', SYNC_LOOKAHEAD_DAYS: '10' });

    // Assert
    expect(await gone('calendly_scheduled_events', older.uri)).toEqual({ is_gone: false, gone_run_id: null });
  });

  it('should mark nothing gone when the run fails after reading the complete event list', async () => {
    // Arrange: the same organisation twice; the second fails one invitee read for good
    const options = { seed: 11, events: 20, now: NOW, invalidRecords: false };
    const healthy = await startSimulator(options);
    const victim = healthy.dataset.events[0];
    const uuid = victim.uri.slice(victim.uri.lastIndexOf('/') + 1);
    const broken = await startSimulator({ ...options, faults: { errorRate: 1, failPaths: new RegExp(`${uuid}/invitees$`) } });
    try {
      expect((await syncOnce(coordinatorFor(db, healthy).coordinator)).status).toBe('succeeded');
      const doomed = broken.dataset.events[1];
      broken.dataset.removeEvent(doomed.uri);
      const before = await db.dataSource.query('select count(*)::int as n from calendly_scheduled_events where gone_at is not null');

      // Act
      // A full run, so the failing invitee read is made (metrics.md §6).
      const run = await syncOnce(coordinatorFor(db, broken, { SYNC_FULL_REFRESH_HOURS: '0' }).coordinator);

      // Assert
      expect(run.status).toBe('failed');
      expect(await gone('calendly_scheduled_events', doomed.uri)).toEqual({ is_gone: false, gone_run_id: null });
      expect(await db.dataSource.query('select count(*)::int as n from calendly_scheduled_events where gone_at is not null'))
        .toEqual(before);
    } finally {
      await broken.close();
      await healthy.close();
    }
  });
});
