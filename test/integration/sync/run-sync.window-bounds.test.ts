import type { Database } from '../../../src/db/data-source';
import { DAY_MS, formatCalendlyTime } from '../../../src/simulator/calendly-time';
import { startEmptySimulator, type Simulator } from '../../../src/simulator/simulator.server';
import { openTestDatabase } from '../../helpers/test-db';
import { coordinatorFor, NOW, syncOnce } from './sync-test.helper';

const at = (days: number) => formatCalendlyTime(NOW.getTime() + days * DAY_MS);

// metrics.md §1: the window is [as_of - lookback, as_of + lookahead], both ends included, and the
// fetch, the models and gone-marking all use it: a booking at either bound is fetched, counted
// and, once deleted from Calendly, marked gone.
describe('runSync at the bounds of the window', () => {
  let db: Database;
  let simulator: Simulator;
  const booked = (email: string) => db.dataSource.query(
    'select total_calls_booked from unified_customers where email = $1', [email])
    .then((rows: { total_calls_booked: number }[]) => rows[0]?.total_calls_booked);
  const sync = async (env: Record<string, string> = {}) => {
    const run = await syncOnce(coordinatorFor(db, simulator, env).coordinator);
    expect(run.status).toBe('succeeded');
    return run;
  };
  const oneOnOne = (days: number, email: string) => {
    const event = simulator.dataset.addEvent({ start_time: at(days) });
    simulator.dataset.addInvitee(event.uri, { email });
    return event;
  };

  beforeAll(async () => {
    db = await openTestDatabase();
    simulator = await startEmptySimulator({ now: NOW });
  });

  afterAll(async () => {
    await simulator?.close();
    await db?.close();
  });

  it('should fetch and count a booking that starts exactly at either end of the window', async () => {
    oneOnOne(-90, 'first-instant@example.com');
    oneOnOne(90, 'last-instant@example.com');

    await sync();

    expect(await booked('first-instant@example.com')).toBe(1);
    expect(await booked('last-instant@example.com')).toBe(1);
  });

  it('should stop counting a booking at the last instant of the window once Calendly no longer returns it', async () => {
    // Arrange: staged by a run whose window reaches past it
    const event = oneOnOne(90, 'deleted-at-the-end@example.com');
    await sync({ SYNC_LOOKAHEAD_DAYS: '91' });
    expect(await booked('deleted-at-the-end@example.com')).toBe(1);

    // Act: deleted in Calendly, then a run whose window ends exactly at its start
    simulator.dataset.removeEvent(event.uri);
    const noticed = await sync();

    // Assert
    const [row] = await db.dataSource.query('select gone_run_id from calendly_scheduled_events where uri = $1', [event.uri]);
    expect(row).toEqual({ gone_run_id: noticed.id });
    expect(await booked('deleted-at-the-end@example.com')).toBe(0);
  });
});
