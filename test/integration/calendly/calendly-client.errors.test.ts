import { startEmptySimulator, type Simulator, type SimulatorOptions } from '../../../src/simulator/simulator.server';
import { CalendlyClient } from '../../../src/calendly/calendly-client';
import { NOW, caught, clientFor, collect } from './calendly-test.helper';

describe('CalendlyClient retries and failures', () => {
  let simulator: Simulator | undefined;
  let client: CalendlyClient | undefined;

  async function setup(options: SimulatorOptions, clientOptions: Parameters<typeof clientFor>[1] = {}) {
    simulator = await startEmptySimulator({ now: NOW, ...options });
    const event = simulator.dataset.addEvent({ start_time: '2026-03-05T10:00:00.000000Z' });
    simulator.dataset.addInvitee(event.uri, { email: 'carol@example.com' });
    client = clientFor(simulator, clientOptions);
    return { simulator, client, event, path: `/scheduled_events/${event.uri.split('/').pop()}/invitees` };
  }

  afterEach(async () => {
    client?.close();
    await simulator?.close();
    client = undefined;
    simulator = undefined;
  });

  it('should wait for Retry-After and then succeed when the first answer is 429', async () => {
    // Arrange
    const { client, event, simulator } = await setup({ faults: { rateLimitFirst: 1, rateLimitResetSeconds: 1 }, retryAfterHeader: true });
    const t0 = Date.now();
    // Act
    const { items } = await collect(client.listEventInvitees(event.uri));
    // Assert
    expect(items).toHaveLength(1);
    expect(Date.now() - t0).toBeGreaterThanOrEqual(950);
    expect(Date.now() - t0).toBeLessThan(3000);
    expect(client.stats()).toMatchObject({ requests: 2, rateLimitWaits: 1, retries: 0 });
    expect(simulator.stats.rateLimited).toBe(1);
  });

  it('should wait for X-RateLimit-Reset when a 429 has no Retry-After, holding other requests too', async () => {
    // Arrange
    const { client, event, simulator } = await setup({ faults: { rateLimitFirst: 1, rateLimitResetSeconds: 1 } });
    const t0 = Date.now();
    // Act: a second request starts while the first is waiting out its 429
    const first = collect(client.listEventInvitees(event.uri));
    await new Promise((r) => setTimeout(r, 200));
    const second = collect(client.listEventInvitees(event.uri));
    await new Promise((r) => setTimeout(r, 300));
    const requestsDuringWait = simulator.stats.requests;
    await Promise.all([first, second]);
    // Assert
    expect(requestsDuringWait).toBe(1);
    expect(Date.now() - t0).toBeGreaterThanOrEqual(950);
    expect(simulator.stats.requests).toBe(3);
  });

  it('should fail with CALENDLY_RATE_LIMITED when 429s never stop', async () => {
    const { client, event } = await setup({ faults: { rateLimitFirst: 100, rateLimitResetSeconds: 0 } }, { maxRateLimitWaits: 3 });
    const error = await caught(collect(client.listEventInvitees(event.uri)));
    expect(error).toMatchObject({ code: 'CALENDLY_RATE_LIMITED' });
    expect(client.stats().requests).toBe(4);
  });

  it('should retry and succeed when the first two answers are 500', async () => {
    const { client, event } = await setup({ faults: { failFirst: 2 } });
    const { items } = await collect(client.listEventInvitees(event.uri));
    expect(items).toHaveLength(1);
    expect(client.stats()).toMatchObject({ requests: 3, retries: 2 });
  });

  it('should fail with CALENDLY_UNAVAILABLE naming the endpoint when 5xx never stops', async () => {
    // Arrange
    const { client, event, path, simulator } = await setup({ faults: { errorRate: 1 } }, { maxRetries: 2 });
    // Act
    const error = await caught(collect(client.listEventInvitees(event.uri)));
    // Assert
    expect(error).toMatchObject({ code: 'CALENDLY_UNAVAILABLE', failure: { path, attempts: 3 } });
    expect(error.message).toContain(path);
    expect(simulator.stats.requests).toBe(3);
  });

  it('should retry a timed-out request and fail with CALENDLY_UNAVAILABLE when every answer stalls', async () => {
    const { client, event } = await setup({ faults: { stallRate: 1, stallMs: 2_000 } }, { timeoutMs: 150, maxRetries: 1 });
    const error = await caught(collect(client.listEventInvitees(event.uri)));
    expect(error).toMatchObject({ code: 'CALENDLY_UNAVAILABLE', failure: { errorCode: 'ECONNABORTED', attempts: 2 } });
  });

  it('should fail at once with CALENDLY_UNAUTHORIZED when the token is refused', async () => {
    // Arrange
    const { client, simulator } = await setup({ faults: { status401: true } });
    // Act
    const error = await caught(client.getCurrentUser());
    // Assert
    expect(error).toMatchObject({ code: 'CALENDLY_UNAUTHORIZED', failure: { status: 401 } });
    expect(error.message).toContain('CALENDLY_API_KEY');
    expect(error.message).not.toContain(simulator.apiKey);
    expect(simulator.stats.requests).toBe(1);
  });

  it('should fail with CALENDLY_UNAUTHORIZED when the client sends a wrong key', async () => {
    const { simulator } = await setup({});
    client = clientFor(simulator, { apiKey: 'not-the-key' });
    await expect(client.getCurrentUser()).rejects.toMatchObject({ code: 'CALENDLY_UNAUTHORIZED' });
  });

  it('should fail with CALENDLY_BAD_RESPONSE when the body is not JSON', async () => {
    const { client, event } = await setup({ faults: { malformedRate: 1 } }, { maxRetries: 1 });
    await expect(collect(client.listEventInvitees(event.uri))).rejects.toMatchObject({ code: 'CALENDLY_BAD_RESPONSE' });
  });

  it('should retry and succeed when one body is not JSON', async () => {
    const { client } = await setup({ faults: { malformedFirst: 1 } });
    await expect(client.getCurrentUser()).resolves.toMatchObject({ resource_type: 'User' });
    expect(client.stats()).toMatchObject({ requests: 2, retries: 1 });
  });

  it('should fail with CALENDLY_BAD_RESPONSE when the organization is missing (HTTP 400)', async () => {
    const { client } = await setup({});
    const error = await caught(collect(client.paginate('/scheduled_events', {})));
    expect(error).toMatchObject({ code: 'CALENDLY_BAD_RESPONSE', failure: { status: 400, apiTitle: 'Invalid Argument' } });
  });

  it('should fail with CALENDLY_BAD_RESPONSE when an event does not exist (HTTP 404)', async () => {
    const { client } = await setup({});
    await expect(client.getScheduledEvent('https://api.calendly.com/scheduled_events/NOPE')).rejects.toMatchObject({
      code: 'CALENDLY_BAD_RESPONSE', failure: { status: 404 },
    });
  });
});
