import type { Database } from '../../../src/db/data-source';
import { startSimulator, type Simulator } from '../../../src/simulator/simulator.server';
import { openTestDatabase } from '../../helpers/test-db';
import { coordinatorFor, DAY, expectedFrom, NOW, snapshot, syncOnce } from './sync-test.helper';

describe('runSync into staging', () => {
  let db: Database;
  let simulator: Simulator;

  beforeAll(async () => {
    db = await openTestDatabase();
    simulator = await startSimulator({ seed: 7, events: 400, now: NOW });
  });

  afterAll(async () => {
    await simulator?.close();
    await db?.close();
  });

  it('should land exactly what the simulator served, with every refusal and its reason', async () => {
    // Arrange
    const { coordinator } = coordinatorFor(db, simulator);
    const expected = expectedFrom(simulator);
    expect(expected.rejected.length).toBeGreaterThan(0);

    // Act
    const run = await syncOnce(coordinator);

    // Assert
    expect(run).toMatchObject({
      status: 'succeeded', eventsProcessed: expected.events.length,
      inviteesProcessed: expected.events.reduce((n, e) => n + (simulator.dataset.inviteesByEvent.get(e.uri)?.length ?? 0), 0),
      recordsRejected: expected.rejected.length,
    });
    const events: { uri: string; raw: unknown }[] = await db.dataSource.query('select uri, raw from calendly_scheduled_events order by uri');
    expect(events.map((e) => e.uri)).toEqual(expected.acceptedEvents.map((e) => e.uri).sort());
    const invitees: { uri: string; raw: unknown }[] = await db.dataSource.query('select uri, raw from calendly_event_invitees order by uri');
    expect(invitees.map((i) => i.uri)).toEqual(expected.acceptedInvitees.map((i) => i.uri).sort());
    // A sample of payloads, byte for byte as served.
    for (const index of [0, 17, 101, events.length - 1]) {
      expect(events[index].raw).toEqual(simulator.dataset.getEvent(events[index].uri));
      expect(invitees[index].raw).toEqual(simulator.dataset.getInvitee(invitees[index].uri));
    }
    const refused: { uri: string; reason: string; run_id: number; has_raw: boolean }[] = await db.dataSource.query(
      'select uri, reason, run_id, raw is not null as has_raw from calendly_rejected_records where run_id = $1 order by uri', [run.id]);
    expect(refused.map(({ uri, reason }) => ({ uri, reason }))).toEqual(
      [...expected.rejected].sort((a, b) => (a.uri < b.uri ? -1 : 1)));
    expect(refused.every((r) => r.has_raw)).toBe(true);
    const [scratch] = await db.dataSource.query(
      'select (select count(*) from calendly_incoming_events) + (select count(*) from calendly_incoming_invitees) as n');
    expect(Number(scratch.n)).toBe(0);
  });

  it('should change nothing in staging when the same data is synced again', async () => {
    const { coordinator } = coordinatorFor(db, simulator);
    const before = await snapshot(db, 'calendly_event_invitees', 'uri');

    const run = await syncOnce(coordinator);

    expect(run.status).toBe('succeeded');
    const after = await snapshot(db, 'calendly_event_invitees', 'uri');
    const strip = (json: string) => JSON.parse(json).map(({ loaded_at, last_seen_run_id, ...rest }: Record<string, unknown>) => rest);
    expect(strip(after)).toEqual(strip(before));
  });

  it('should keep the stored copy when the served one is older, and take a newer or equal one', async () => {
    // Arrange: pretend staging already holds a copy updated in the future.
    const [invitee] = simulator.dataset.allInvitees().filter((i) => i.email && !i.no_show);
    await db.dataSource.query(
      `update calendly_event_invitees set updated_at = '2099-01-01', name = 'kept' where uri = $1`, [invitee.uri]);
    const { coordinator } = coordinatorFor(db, simulator);

    // Act
    await syncOnce(coordinator);

    // Assert
    const [row] = await db.dataSource.query('select name from calendly_event_invitees where uri = $1', [invitee.uri]);
    expect(row.name).toBe('kept');
  });

  it('should pick up a no-show marked later even when Calendly does not bump updated_at', async () => {
    // Arrange
    const past = simulator.dataset.allInvitees().find((i) => {
      const event = simulator.dataset.getEvent(i.event);
      return i.email && !i.no_show && i.status === 'active' && event?.status === 'active'
        && Date.parse(String(event.start_time)) < NOW.getTime() - DAY;
    })!;
    simulator.dataset.markNoShow(past.uri, new Date(NOW.getTime() - 3600_000), { bumpUpdatedAt: false });
    // A full run: an incremental one leaves a mark on a call older than the settle window to the next full run (metrics.md §6).
    const { coordinator } = coordinatorFor(db, simulator, { SYNC_FULL_REFRESH_HOURS: '0' });

    // Act
    await syncOnce(coordinator);

    // Assert
    const [row] = await db.dataSource.query('select no_show_uri from calendly_event_invitees where uri = $1', [past.uri]);
    expect(row.no_show_uri).toEqual(expect.any(String));
  });
});
