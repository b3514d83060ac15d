import { inspect } from 'node:util';
import { startEmptySimulator, type Simulator } from '../../../src/simulator/simulator.server';
import { NOW, caught, clientFor, collect, memoryLogger } from './calendly-test.helper';

describe('CalendlyClient secrecy', () => {
  let simulator: Simulator;

  beforeAll(async () => {
    simulator = await startEmptySimulator({ now: NOW, apiKey: 'sim_pat_SECRET_5f3a9c1e7b', faults: { rateLimitFirst: 1, rateLimitResetSeconds: 0, failFirst: 1 } });
    simulator.dataset.addEvent({ start_time: '2026-03-05T10:00:00.000000Z' });
  });
  afterAll(async () => {
    await simulator.close();
  });

  it('should never put the API key in logs or errors when requests are retried, rate limited and refused', async () => {
    // Arrange
    const { logger, output } = memoryLogger();
    const client = clientFor(simulator, { logger, maxRetries: 1 });
    const errors: unknown[] = [];
    try {
      // Act: a 429, a 500, a success; then a permanent 5xx path and a refused token
      await client.getCurrentUser();
      errors.push(await caught(collect(client.listEventInvitees('https://api.calendly.com/scheduled_events/MISSING'))));
      errors.push(await caught(client.getScheduledEvent('NOPE')));
      const refused = clientFor(simulator, { logger, apiKey: 'sim_pat_WRONG_KEY_88e1d' });
      errors.push(await caught(refused.getCurrentUser()));
      refused.close();
    } finally {
      client.close();
    }
    // Assert
    expect(output()).toContain('"level":40');
    expect(client.stats()).toMatchObject({ retries: 1, rateLimitWaits: 1 });
    for (const text of [output(), ...errors.flatMap((e) => [JSON.stringify(e), String(e), inspect(e, { depth: 10 })])]) {
      expect(text).not.toContain(simulator.apiKey);
      expect(text).not.toContain('sim_pat_WRONG_KEY_88e1d');
      expect(text.toLowerCase()).not.toContain('bearer');
    }
    expect(errors).toHaveLength(3);
  });
});
