import { startEmptySimulator, type Simulator } from '../../../src/simulator/simulator.server';
import type { CalendlyClient } from '../../../src/calendly/calendly-client';
import { NOW, clientFor, collect } from './calendly-test.helper';

function addEvents(simulator: Simulator, count: number): string[] {
  const uris: string[] = [];
  for (let i = 0; i < count; i += 1) {
    const event = simulator.dataset.addEvent({ start_time: new Date(NOW.getTime() + (i + 1) * 3600_000).toISOString() });
    simulator.dataset.addInvitee(event.uri, { email: `c${i}@example.com` });
    uris.push(event.uri);
  }
  return uris;
}

describe('CalendlyClient concurrency and pacing', () => {
  let simulator: Simulator | undefined;
  let client: CalendlyClient | undefined;

  afterEach(async () => {
    client?.close();
    await simulator?.close();
    client = undefined;
    simulator = undefined;
  });

  it('should keep at most `concurrency` requests in flight when the caller fires 50 at once', async () => {
    // Arrange
    simulator = await startEmptySimulator({ now: NOW, latencyMs: 20 });
    const uris = addEvents(simulator, 50);
    client = clientFor(simulator, { concurrency: 4 });
    // Act
    const results = await Promise.all(uris.map((uri) => collect(client!.listEventInvitees(uri))));
    // Assert
    expect(results.every((r) => r.items.length === 1)).toBe(true);
    expect(simulator.stats.maxInFlight).toBeLessThanOrEqual(4);
    expect(simulator.stats.maxInFlight).toBeGreaterThanOrEqual(3);
  });

  it('should take about N/R when N requests are paced at R per minute', async () => {
    // Arrange: 1200/min = one start every 50 ms; 21 requests → ~1 s
    simulator = await startEmptySimulator({ now: NOW });
    const uris = addEvents(simulator, 21);
    client = clientFor(simulator, { rateLimitPerMinute: 1200, concurrency: 8 });
    const t0 = Date.now();
    // Act
    await Promise.all(uris.map((uri) => collect(client!.listEventInvitees(uri))));
    // Assert
    const elapsed = Date.now() - t0;
    expect(elapsed).toBeGreaterThanOrEqual(900);
    expect(elapsed).toBeLessThan(1100 * 1.1 + 300);
    expect(simulator.stats.rateLimited).toBe(0);
  });

  it('should finish without failing when the server limit is tighter than the client pace', async () => {
    // Arrange: server allows 5 requests per 1 s window; the client does not pace itself
    simulator = await startEmptySimulator({ now: NOW, rateLimitPerMinute: 5, rateLimitWindowMs: 1000 });
    const uris = addEvents(simulator, 12);
    client = clientFor(simulator, { concurrency: 4 });
    const t0 = Date.now();
    // Act
    const results = await Promise.all(uris.map((uri) => collect(client!.listEventInvitees(uri))));
    // Assert: three windows are needed
    expect(results.every((r) => r.items.length === 1)).toBe(true);
    expect(Date.now() - t0).toBeGreaterThanOrEqual(1900);
    expect(client.stats().rateLimitWaits).toBeGreaterThanOrEqual(2);
  });
});
