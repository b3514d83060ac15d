import type { Database } from '../../../src/db/data-source';
import { DAY_MS, formatCalendlyTime, HOUR_MS } from '../../../src/simulator/calendly-time';
import { startEmptySimulator, type Simulator, type SimulatorFaults } from '../../../src/simulator/simulator.server';
import { openTestDatabase } from '../../helpers/test-db';
import { coordinatorFor, NOW } from './sync-test.helper';

const at = (days: number) => formatCalendlyTime(NOW.getTime() + days * DAY_MS);
const hoursLater = (hours: number) => new Date(NOW.getTime() + hours * HOUR_MS);

// metrics.md §6 with §1 and §5: whatever a run goes through, staging never claims an invitee
// list is current when it is not, so no later incremental run skips what it must read.
describe('incremental runs after failures', () => {
  let db: Database;
  let simulator: Simulator;
  // Held by reference by the simulator: a test sets a fault for the runs that follow.
  const faults: SimulatorFaults = {};

  const sync = async (asOf: Date, request: { full?: boolean } = {}) =>
    (await coordinatorFor(db, simulator).coordinator.start({ trigger: 'cli', asOf, ...request })).finished;
  const booked = (email: string) => db.dataSource.query(
    'select total_calls_booked, calls_canceled from unified_customers where email = $1', [email])
    .then((rows: { total_calls_booked: number; calls_canceled: number }[]) => rows[0]);
  const gone = (uri: string) => db.dataSource.query(
    'select gone_at is not null as is_gone from calendly_scheduled_events where uri = $1', [uri])
    .then((rows: { is_gone: boolean }[]) => rows[0]?.is_gone);

  beforeEach(async () => {
    db = await openTestDatabase();
    for (const key of Object.keys(faults) as (keyof SimulatorFaults)[]) delete faults[key];
    simulator = await startEmptySimulator({ now: NOW, faults });
  });

  afterEach(async () => {
    await simulator?.close();
    await db?.close();
  });

  /** A group call a month back (outside the settle window), read by a first, full run. */
  async function stagedGroupCall() {
    const group = simulator.dataset.addEvent({ start_time: at(-30), kindIndex: 3 });
    simulator.dataset.addInvitee(group.uri, { email: 'stays@example.com' });
    const leaver = simulator.dataset.addInvitee(group.uri, { email: 'leaves@example.com' });
    const other = simulator.dataset.addEvent({ start_time: at(-40) });
    simulator.dataset.addInvitee(other.uri, { email: 'other@example.com' });
    expect(await sync(NOW)).toMatchObject({ status: 'succeeded', fetchMode: 'full' });
    return { group, leaver, other };
  }

  it('should re-read a changed event after a run that failed once it had read it', async () => {
    // Arrange: the guest leaves (the counter moves); the next run reads the group, then fails on another event
    const { group, leaver, other } = await stagedGroupCall();
    simulator.dataset.cancelInvitee(leaver.uri, hoursLater(1));
    faults.failPaths = new RegExp(`${other.uri.slice(other.uri.lastIndexOf('/') + 1)}/invitees$`);
    faults.errorRate = 1;
    const failed = await sync(hoursLater(2), { full: true });
    expect(failed).toMatchObject({ status: 'failed' });
    delete faults.errorRate;

    // Act
    const next = await sync(hoursLater(4));

    // Assert
    expect(next).toMatchObject({ status: 'succeeded', fetchMode: 'incremental' });
    expect(await booked('leaves@example.com')).toEqual({ total_calls_booked: 1, calls_canceled: 1 });
    expect(await gone(group.uri)).toBe(false);
  });

  it('should re-read a changed event after a run that crashed with its scratch rows written', async () => {
    // Arrange: a run that died after writing the changed group to its scratch tables, as read
    const { group, leaver } = await stagedGroupCall();
    simulator.dataset.cancelInvitee(leaver.uri, hoursLater(1));
    const [{ id: deadRun }] = await db.dataSource.query(
      `insert into sync_runs (trigger, status, as_of, window_start, window_end, owner, lease_expires_at)
       values ('schedule', 'running', $1, $2, $3, 'dead-host:1', now() - interval '1 minute') returning id`,
      [hoursLater(2), hoursLater(2 - 90 * 24), hoursLater(2 + 90 * 24)]);
    await db.dataSource.query(
      `insert into calendly_incoming_events (uri, uuid, name, status, start_time, end_time, event_type_uri,
           organizer_user_uri, organizer_email, organizer_name, invitees_total, invitees_active, canceled_at, created_at,
           updated_at, raw, last_seen_run_id, invitee_list_read)
       select uri, uuid, name, status, start_time, end_time, event_type_uri, organizer_user_uri, organizer_email,
           organizer_name, invitees_total, invitees_active - 1, canceled_at, created_at, $2, raw, $3, true
       from calendly_scheduled_events where uri = $1`,
      [group.uri, simulator.dataset.getEvent(group.uri)!.updated_at, deadRun]);

    // Act
    const next = await sync(hoursLater(4));

    // Assert
    expect(next).toMatchObject({ status: 'succeeded', fetchMode: 'incremental' });
    expect(await booked('leaves@example.com')).toEqual({ total_calls_booked: 1, calls_canceled: 1 });
  });

  it('should take an event that answers 404 on its invitees as gone, not fail the run, and read it when it is back', async () => {
    // Arrange: deleted between the list and the invitee read (the list still holds it)
    const { group } = await stagedGroupCall();
    faults.notFoundPaths = new RegExp(`${group.uri.slice(group.uri.lastIndexOf('/') + 1)}/invitees$`);

    // Act
    const deleted = await sync(hoursLater(1), { full: true });

    // Assert
    expect(deleted).toMatchObject({ status: 'succeeded', error: null });
    expect(await gone(group.uri)).toBe(true);
    expect(await booked('stays@example.com')).toEqual({ total_calls_booked: 0, calls_canceled: 0 });

    // Act: served again
    delete faults.notFoundPaths;
    const back = await sync(hoursLater(4));

    // Assert
    expect(back).toMatchObject({ status: 'succeeded', fetchMode: 'incremental' });
    expect(await gone(group.uri)).toBe(false);
    expect(await booked('stays@example.com')).toEqual({ total_calls_booked: 1, calls_canceled: 0 });
  });
});
