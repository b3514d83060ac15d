import type { SyncRun } from '../../../entities';
import type { Database } from '../../../src/db/data-source';
import { DAY_MS, formatCalendlyTime, HOUR_MS } from '../../../src/simulator/calendly-time';
import { applyChurn, type ChurnCounts } from '../../../src/simulator/churn.generator';
import { startSimulator, type Simulator } from '../../../src/simulator/simulator.server';
import { openTestDatabase } from '../../helpers/test-db';
import { coordinatorFor, NOW } from './sync-test.helper';

const NO_CHURN: ChurnCounts = { newBookings: 0, groupJoins: 0, cancellations: 0, reschedules: 0, groupLeaves: 0, noShows: 0 };

// The figures a customer-success lead reads: every metric column, the open alerts, the run's figures.
async function figures(db: Database): Promise<string> {
  const customers = await db.dataSource.query(
    `select email, total_calls_booked, calls_completed, calls_no_show, calls_canceled, calls_rescheduled, calls_upcoming,
            show_rate, last_call_date, next_call_date, current_no_show_streak, calendly_organizer_name,
            calendly_organizer_email, assigned_am, assigned_am_email, calendly_user_id, calendly_quality_points,
            calendly_health_points, calendly_score_factors, last_calendly_sync
     from unified_customers order by email`);
  const alerts = await db.dataSource.query(
    `select customer_email, alert_type, details from customer_alerts where resolved_at is null order by customer_email, alert_type`);
  return JSON.stringify({ customers, alerts });
}

const runFigures = (run: SyncRun) => ({
  customersUpdated: run.customersUpdated, noShowsDetected: run.noShowsDetected,
  upcomingCalls: run.upcomingCalls, avgShowRate: run.avgShowRate,
});

// metrics.md §6: an incremental run re-reads only new, changed and settling events' invitees.
describe('incremental runs', () => {
  let db: Database;
  let simulator: Simulator;
  let asOf = NOW;

  const sync = async (at: Date, request: { full?: boolean } = {}, env: Record<string, string> = {}) => {
    const started = await coordinatorFor(db, simulator, env).coordinator.start({ trigger: 'cli', asOf: at, ...request });
    const run = await started.finished;
    expect(run).toMatchObject({ status: 'succeeded', error: null });
    return run;
  };

  beforeAll(async () => {
    db = await openTestDatabase();
    simulator = await startSimulator({ seed: 7, events: 600, now: NOW });
    expect(await sync(NOW)).toMatchObject({ fetchMode: 'full', inviteeReadsSkipped: 0 });
  });

  afterAll(async () => {
    await simulator?.close();
    await db?.close();
  });

  it.each<[string, Partial<ChurnCounts>]>([
    ['new bookings', { newBookings: 6 }],
    ['seats booked on group events', { groupJoins: 3 }],
    ['cancellations', { cancellations: 5 }],
    ['reschedules', { reschedules: 5 }],
    ['invitees leaving a group', { groupLeaves: 3 }],
    ['no-show marks on recent calls', { noShows: 5 }],
    ['four hours of realistic churn', {}],
  ])('should give exactly the figures of a full run of the same state after %s', async (_kind, counts) => {
    // Arrange
    const from = asOf;
    asOf = new Date(asOf.getTime() + 4 * HOUR_MS);
    const applied = applyChurn(simulator.dataset, { seed: asOf.getTime(), from, hours: 4, counts: Object.keys(counts).length ? { ...NO_CHURN, ...counts } : undefined });
    expect(Object.values(applied).reduce((a, b) => a + b, 0)).toBeGreaterThan(0);

    // Act
    const incremental = await sync(asOf);
    const afterIncremental = await figures(db);
    const full = await sync(asOf, { full: true });

    // Assert
    expect(incremental).toMatchObject({ fetchMode: 'incremental' });
    expect(incremental.inviteeReadsSkipped).toBeGreaterThan(0);
    expect(full).toMatchObject({ fetchMode: 'full', inviteeReadsSkipped: 0 });
    expect(runFigures(incremental)).toEqual(runFigures(full));
    expect(afterIncremental).toBe(await figures(db));
  });

  it('should leave out a no-show mark on a call older than the settle window until the next full run', async () => {
    // Arrange: a call 20 days back, read by a full run
    const event = simulator.dataset.addEvent({ start_time: formatCalendlyTime(asOf.getTime() - 20 * DAY_MS) });
    const invitee = simulator.dataset.addInvitee(event.uri, { email: 'late.mark@example.com' });
    await sync(asOf, { full: true });
    const noShows = () => db.dataSource.query(`select calls_no_show from unified_customers where email = 'late.mark@example.com'`)
      .then((rows: { calls_no_show: number }[]) => rows[0].calls_no_show);

    // Act: marked late; nothing moves on the event
    simulator.dataset.markNoShow(invitee.uri, new Date(asOf.getTime() + HOUR_MS), { bumpUpdatedAt: false });
    const incremental = await sync(new Date(asOf.getTime() + 4 * HOUR_MS));
    const missed = await noShows();
    const nextFull = await sync(new Date(asOf.getTime() + 25 * HOUR_MS));

    // Assert
    expect(incremental).toMatchObject({ fetchMode: 'incremental' });
    expect(missed).toBe(0);
    expect(nextFull).toMatchObject({ fetchMode: 'full' });
    expect(await noShows()).toBe(1);
    asOf = new Date(asOf.getTime() + 25 * HOUR_MS);
  });
});

describe('the cost of an incremental run', () => {
  let db: Database;
  let simulator: Simulator;

  beforeAll(async () => {
    db = await openTestDatabase();
    simulator = await startSimulator({ seed: 9, events: 700, now: NOW, invalidRecords: false });
  });

  afterAll(async () => {
    await simulator?.close();
    await db?.close();
  });

  it('should be ceil(events / 100) list requests plus one invitee request per event in the settle window when nothing changed', async () => {
    // Arrange
    const { coordinator } = coordinatorFor(db, simulator);
    await (await coordinator.start({ trigger: 'cli', asOf: NOW })).finished;
    const asOf = new Date(NOW.getTime() + 4 * HOUR_MS);
    const windowStart = asOf.getTime() - 90 * DAY_MS;
    const windowEnd = asOf.getTime() + 90 * DAY_MS;
    const previousEnd = NOW.getTime() + 90 * DAY_MS;
    const listed = simulator.dataset.sortedEntries().filter((e) => e.startMs >= windowStart && e.startMs < windowEnd);
    // Settling calls, and the events that entered the window in these 4 h (new to staging).
    const toRead = listed.filter((e) => (e.startMs >= asOf.getTime() - 7 * DAY_MS && e.startMs <= asOf.getTime()) || e.startMs >= previousEnd);
    simulator.resetStats();

    // Act
    const run = await (await coordinator.start({ trigger: 'cli', asOf })).finished;

    // Assert
    expect(run).toMatchObject({ status: 'succeeded', fetchMode: 'incremental', eventsProcessed: listed.length });
    expect(simulator.stats.byPath).toEqual({ me: 1, events: Math.ceil(listed.length / 100), event: 0, invitees: toRead.length, other: 0 });
    expect(run.inviteeReadsSkipped).toBe(listed.length - toRead.length);
    expect(run.requestsMade).toBe(simulator.stats.requests);
    expect(run.requestsMade).toBeLessThan(listed.length / 5);
  });
});
