import type { Database } from '../../../src/db/data-source';
import { DAY_MS, formatCalendlyTime, HOUR_MS } from '../../../src/simulator/calendly-time';
import { startEmptySimulator, type Simulator } from '../../../src/simulator/simulator.server';
import type { SyncRequest } from '../../../src/sync/sync-coordinator';
import { openTestDatabase } from '../../helpers/test-db';
import { coordinatorFor, NOW } from './sync-test.helper';

const hoursLater = (hours: number) => new Date(NOW.getTime() + hours * HOUR_MS);

// metrics.md §6: a run is full when asked, or when no full run with at least its lookback and
// lookahead succeeded within SYNC_FULL_REFRESH_HOURS; otherwise incremental.
describe('full or incremental', () => {
  let db: Database;
  let simulator: Simulator;

  const sync = async (request: Omit<SyncRequest, 'trigger'>, env: Record<string, string> = {}) => {
    const run = await (await coordinatorFor(db, simulator, env).coordinator.start({ trigger: 'cli', ...request })).finished;
    return { status: run.status, fetchMode: run.fetchMode };
  };

  beforeEach(async () => {
    db = await openTestDatabase();
    simulator = await startEmptySimulator({ now: NOW });
    const event = simulator.dataset.addEvent({ start_time: formatCalendlyTime(NOW.getTime() - 30 * DAY_MS) });
    simulator.dataset.addInvitee(event.uri, { email: 'someone@example.com' });
  });

  afterEach(async () => {
    await simulator?.close();
    await db?.close();
  });

  it('should run full first, incremental within the refresh hours, and full again once they have passed', async () => {
    expect(await sync({ asOf: NOW })).toEqual({ status: 'succeeded', fetchMode: 'full' });
    expect(await sync({ asOf: hoursLater(4) })).toEqual({ status: 'succeeded', fetchMode: 'incremental' });
    expect(await sync({ asOf: hoursLater(23) })).toEqual({ status: 'succeeded', fetchMode: 'incremental' });
    // 24 h after the last full run (the incremental ones do not count)
    expect(await sync({ asOf: hoursLater(24) })).toEqual({ status: 'succeeded', fetchMode: 'full' });
    expect(await sync({ asOf: hoursLater(30) }, { SYNC_FULL_REFRESH_HOURS: '5' })).toEqual({ status: 'succeeded', fetchMode: 'full' });
    expect(await sync({ asOf: hoursLater(31) }, { SYNC_FULL_REFRESH_HOURS: '5' })).toEqual({ status: 'succeeded', fetchMode: 'incremental' });
  });

  it('should run full when asked, and every time with SYNC_FULL_REFRESH_HOURS=0', async () => {
    await sync({ asOf: NOW });
    expect(await sync({ asOf: hoursLater(1), full: true })).toEqual({ status: 'succeeded', fetchMode: 'full' });
    expect(await sync({ asOf: hoursLater(2) }, { SYNC_FULL_REFRESH_HOURS: '0' })).toEqual({ status: 'succeeded', fetchMode: 'full' });
    expect(await sync({ asOf: hoursLater(3) })).toEqual({ status: 'succeeded', fetchMode: 'incremental' });
  });

  it('should run full when the last full run looked back or ahead fewer days than this one', async () => {
    await sync({ asOf: NOW, lookbackDays: 60, lookaheadDays: 60 });
    expect(await sync({ asOf: hoursLater(1), lookbackDays: 90, lookaheadDays: 60 })).toEqual({ status: 'succeeded', fetchMode: 'full' });
    expect(await sync({ asOf: hoursLater(2), lookbackDays: 60, lookaheadDays: 120 })).toEqual({ status: 'succeeded', fetchMode: 'full' });
    // covered by the 60/120 run and the 90/60 run? only by a run that covers both sides at once
    expect(await sync({ asOf: hoursLater(3), lookbackDays: 90, lookaheadDays: 120 })).toEqual({ status: 'succeeded', fetchMode: 'full' });
    expect(await sync({ asOf: hoursLater(4), lookbackDays: 30, lookaheadDays: 30 })).toEqual({ status: 'succeeded', fetchMode: 'incremental' });
  });

  it('should not count a failed full run', async () => {
    // Arrange: the invitee read fails for good
    const failing = await startEmptySimulator({ now: NOW, faults: { failPaths: /\/invitees$/, failFirst: 100 } });
    const event = failing.dataset.addEvent({ start_time: formatCalendlyTime(NOW.getTime() - 30 * DAY_MS) });
    failing.dataset.addInvitee(event.uri, { email: 'someone@example.com' });
    try {
      const failed = await (await coordinatorFor(db, failing).coordinator.start({ trigger: 'cli', asOf: NOW })).finished;
      expect(failed).toMatchObject({ status: 'failed', fetchMode: 'full' });
    } finally {
      await failing.close();
    }

    // Act + Assert
    expect(await sync({ asOf: hoursLater(1) })).toEqual({ status: 'succeeded', fetchMode: 'full' });
  });
});
