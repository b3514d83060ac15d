import type { Database } from '../../../src/db/data-source';
import { startSimulator, type Simulator } from '../../../src/simulator/simulator.server';
import { openTestDatabase } from '../../helpers/test-db';
import { coordinatorFor, expectedFrom, NOW, syncOnce } from './sync-test.helper';

describe('a sync of a 10,000-event organisation', () => {
  let db: Database;
  let simulator: Simulator;

  beforeAll(async () => {
    db = await openTestDatabase();
    simulator = await startSimulator({ seed: 10_000, events: 10_000, now: NOW });
  });

  afterAll(async () => {
    await simulator?.close();
    await db?.close();
  });

  it('should succeed and land exactly what the simulator served', async () => {
    const expected = expectedFrom(simulator);

    const run = await syncOnce(coordinatorFor(db, simulator, { CALENDLY_CONCURRENCY: '16' }).coordinator);

    expect(run.status).toBe('succeeded');
    expect(run.eventsProcessed).toBe(expected.events.length);
    expect(run.recordsRejected).toBe(expected.rejected.length);
    const [counts] = await db.dataSource.query(`
      select (select count(*) from calendly_scheduled_events)::int as events,
             (select count(*) from calendly_event_invitees)::int as invitees,
             (select count(*) from calendly_rejected_records where run_id = $1)::int as rejected`, [run.id]);
    expect(counts).toEqual({
      events: expected.acceptedEvents.length, invitees: expected.acceptedInvitees.length, rejected: expected.rejected.length,
    });
    // Every 97th record, compared payload for payload.
    const sampleEvents = expected.acceptedEvents.filter((_, i) => i % 97 === 0);
    const sampleInvitees = expected.acceptedInvitees.filter((_, i) => i % 97 === 0);
    const events: { uri: string; raw: unknown }[] = await db.dataSource.query(
      'select uri, raw from calendly_scheduled_events where uri = any($1)', [sampleEvents.map((e) => e.uri)]);
    const invitees: { uri: string; raw: unknown }[] = await db.dataSource.query(
      'select uri, raw from calendly_event_invitees where uri = any($1)', [sampleInvitees.map((i) => i.uri)]);
    expect(events).toHaveLength(sampleEvents.length);
    expect(invitees).toHaveLength(sampleInvitees.length);
    for (const row of events) expect(row.raw).toEqual(simulator.dataset.getEvent(row.uri));
    for (const row of invitees) expect(row.raw).toEqual(simulator.dataset.getInvitee(row.uri));
  }, 180_000);
});
