import type { Database } from '../../../src/db/data-source';
import { startSimulator, type Simulator } from '../../../src/simulator/simulator.server';
import { openTestDatabase } from '../../helpers/test-db';
import { coordinatorFor, NOW, stagingAndResults, syncOnce } from './sync-test.helper';

describe('a failed sync', () => {
  let db: Database;
  let healthy: Simulator;

  beforeAll(async () => {
    db = await openTestDatabase();
    healthy = await startSimulator({ seed: 3, events: 150, now: NOW, invalidRecords: false });
    const run = await syncOnce(coordinatorFor(db, healthy).coordinator);
    expect(run.status).toBe('succeeded');
  });

  afterAll(async () => {
    await healthy?.close();
    await db?.close();
  });


  it('should leave staging and results as they were when the API keeps failing mid-fetch', async () => {
    // Arrange: the same organisation, but every invitee read fails.
    const broken = await startSimulator({
      seed: 3, events: 150, now: NOW, invalidRecords: false,
      faults: { errorRate: 1, failPaths: /\/invitees$/ },
    });
    const before = await stagingAndResults(db);
    try {
      // Act
      const run = await syncOnce(coordinatorFor(db, broken).coordinator);

      // Assert
      expect(run.status).toBe('failed');
      expect(run.error).toMatch(/CALENDLY_UNAVAILABLE/);
      expect(run.error).toMatch(/\/invitees/);
      expect(run.finishedAt).not.toBeNull();
      expect(await stagingAndResults(db)).toBe(before);
      const [scratch] = await db.dataSource.query(
        'select (select count(*) from calendly_incoming_events) + (select count(*) from calendly_incoming_invitees) as n');
      expect(Number(scratch.n)).toBe(0);
    } finally {
      await broken.close();
    }
  });

  it('should fail at once with a message about CALENDLY_API_KEY, without the key, when the token is refused', async () => {
    const revoked = await startSimulator({ seed: 3, events: 5, now: NOW, faults: { status401: true } });
    try {
      const { coordinator, logs } = coordinatorFor(db, revoked);
      const run = await syncOnce(coordinator);

      expect(run.status).toBe('failed');
      expect(run.error).toMatch(/CALENDLY_UNAUTHORIZED/);
      expect(run.error).toMatch(/CALENDLY_API_KEY/);
      expect(revoked.stats.requests).toBe(1);
      expect(`${run.error}${logs()}`).not.toContain(revoked.apiKey);
    } finally {
      await revoked.close();
    }
  });

  it('should record the run as failed when a body is malformed', async () => {
    const garbled = await startSimulator({ seed: 3, events: 5, now: NOW, faults: { malformedRate: 1 } });
    try {
      const run = await syncOnce(coordinatorFor(db, garbled).coordinator);
      expect(run.status).toBe('failed');
      expect(run.error).toMatch(/CALENDLY_BAD_RESPONSE|CALENDLY_UNAVAILABLE/);
    } finally {
      await garbled.close();
    }
  });

  it('should end a run aborted at shutdown at once, without waiting for the answers in flight', async () => {
    // Arrange: every invitee read is held for a minute
    const stalled = await startSimulator({
      seed: 3, events: 20, now: NOW, invalidRecords: false,
      faults: { stallRate: 1, stallMs: 60_000, failPaths: /\/invitees$/ },
    });
    const before = await stagingAndResults(db);
    try {
      const { coordinator } = coordinatorFor(db, stalled);
      const started = await coordinator.start({ trigger: 'cli', asOf: NOW });
      while (stalled.stats.inFlight === 0) await new Promise((resolve) => setTimeout(resolve, 20));

      // Act
      const stoppedAt = Date.now();
      await coordinator.shutdown(0);
      const run = await started.finished;

      // Assert
      expect(Date.now() - stoppedAt).toBeLessThan(5_000);
      expect(run.status).toBe('failed');
      expect(run.error).toMatch(/SYNC_ABORTED|CALENDLY_ABORTED/);
      expect(await stagingAndResults(db)).toBe(before);
    } finally {
      await stalled.close();
    }
  });
});
