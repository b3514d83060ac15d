import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { CalendlyClient, MAX_RESPONSE_BYTES, type CalendlyClientOptions } from '../../../src/calendly/calendly-client';
import { startEmptySimulator, type Simulator } from '../../../src/simulator/simulator.server';
import { NOW, caught, clientFor } from './calendly-test.helper';

interface RawServer {
  url: string;
  /** Requests received so far. */
  requests: () => number;
  close: () => Promise<void>;
}

/** A bare node server on loopback that misbehaves the way a test needs; it never answers by itself once closed. */
async function startRawServer(handler: (req: http.IncomingMessage, res: http.ServerResponse) => void): Promise<RawServer> {
  let requests = 0;
  const timers = new Set<NodeJS.Timeout>();
  const server = http.createServer((req, res) => {
    requests += 1;
    res.on('close', () => timers.forEach(clearInterval));
    handler(req, res);
  });
  await new Promise<void>((listening) => server.listen(0, '127.0.0.1', listening));
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}`,
    requests: () => requests,
    close: () => new Promise((closed) => {
      server.closeAllConnections();
      server.close(() => closed());
    }),
  };
}

const USER_BODY = JSON.stringify({ resource: { uri: 'https://api.calendly.com/users/U1', resource_type: 'User' } });

function rawClient(server: RawServer, overrides: Partial<CalendlyClientOptions> = {}): CalendlyClient {
  return new CalendlyClient({
    baseUrl: server.url, apiKey: 'test-key', rateLimitPerMinute: 600_000, concurrency: 2, maxRetries: 0,
    timeoutMs: 5_000, retryBaseDelayMs: 5, ...overrides,
  });
}

describe('CalendlyClient limits: deadline, response size, shutdown', () => {
  let server: RawServer | undefined;
  let simulator: Simulator | undefined;
  let client: CalendlyClient | undefined;

  afterEach(async () => {
    client?.close();
    await server?.close();
    await simulator?.close();
    client = undefined;
    server = undefined;
    simulator = undefined;
  });

  it('should time a trickling response out at the deadline and retry it like any timeout', async () => {
    // Arrange: a valid body, one byte every 50 ms: never idle long enough for a socket timeout.
    server = await startRawServer((_req, res) => {
      res.writeHead(200, { 'content-type': 'application/json' });
      const body = USER_BODY + ' '.repeat(60);
      let sent = 0;
      const timer = setInterval(() => {
        res.write(body[sent]);
        sent += 1;
        if (sent === body.length) {
          clearInterval(timer);
          res.end();
        }
      }, 50);
      res.on('close', () => clearInterval(timer));
    });
    const statuses: (number | 'error')[] = [];
    client = rawClient(server, {
      timeoutMs: 300, maxRetries: 1,
      observer: { calendlyRequest: (status) => statuses.push(status), calendlyRateLimitWait: () => undefined },
    });
    const t0 = Date.now();

    // Act
    const error = await caught(client.getCurrentUser());

    // Assert
    expect(error).toMatchObject({ code: 'CALENDLY_UNAVAILABLE', failure: { errorCode: 'ECONNABORTED', attempts: 2 } });
    expect(Date.now() - t0).toBeLessThan(2_000);
    expect(server.requests()).toBe(2);
    expect(statuses).toEqual(['error', 'error']);
  });

  it('should refuse a body over the size limit with CALENDLY_BAD_RESPONSE, without retrying it', async () => {
    // Arrange: valid JSON, just over the limit.
    server = await startRawServer((_req, res) => {
      res.writeHead(200, { 'content-type': 'application/json' });
      const chunk = Buffer.alloc(1024 * 1024, 'x');
      res.write('{"resource":{"resource_type":"User","uri":"u","name":"');
      let left = Math.ceil(MAX_RESPONSE_BYTES / chunk.length) + 1;
      const pump = () => {
        while (left > 0 && !res.destroyed) {
          left -= 1;
          if (!res.write(chunk)) return void res.once('drain', pump);
        }
        if (!res.destroyed) res.end('"}}');
      };
      pump();
    });
    client = rawClient(server, { maxRetries: 3 });

    // Act
    const error = await caught(client.getCurrentUser());

    // Assert
    expect(error).toMatchObject({ code: 'CALENDLY_BAD_RESPONSE', failure: { path: '/users/me', attempts: 1 } });
    expect(server.requests()).toBe(1);
  });

  it('should reject an in-flight request with CALENDLY_ABORTED as soon as the client is closed', async () => {
    // Arrange: a server that never answers, and a deadline far away.
    let received!: () => void;
    const requestArrived = new Promise<void>((arrived) => { received = arrived; });
    server = await startRawServer(() => received());
    client = rawClient(server, { timeoutMs: 60_000, maxRetries: 3 });
    const pending = caught(client.getCurrentUser());
    await requestArrived;
    const t0 = Date.now();

    // Act
    client.close();

    // Assert
    await expect(pending).resolves.toMatchObject({ code: 'CALENDLY_ABORTED' });
    expect(Date.now() - t0).toBeLessThan(1_000);
    expect(server.requests()).toBe(1);
  });

  it('should end a backoff wait with CALENDLY_ABORTED when the client is closed', async () => {
    // Arrange: every answer is a 500 and the backoff is long.
    server = await startRawServer((_req, res) => {
      res.writeHead(500).end();
    });
    client = rawClient(server, { maxRetries: 3, retryBaseDelayMs: 60_000, retryMaxDelayMs: 60_000 });
    const pending = caught(client.getCurrentUser());
    while (server.requests() === 0) await new Promise((tick) => setTimeout(tick, 10));
    await new Promise((settle) => setTimeout(settle, 50));
    const t0 = Date.now();

    // Act
    client.close();

    // Assert
    await expect(pending).resolves.toMatchObject({ code: 'CALENDLY_ABORTED' });
    expect(Date.now() - t0).toBeLessThan(1_000);
  });

  it('should end a rate-limit hold with CALENDLY_ABORTED when the client is closed', async () => {
    // Arrange: a 429 asking for a 60 s pause.
    server = await startRawServer((_req, res) => {
      res.writeHead(429, { 'retry-after': '60' }).end();
    });
    client = rawClient(server);
    const pending = caught(client.getCurrentUser());
    while (server.requests() === 0) await new Promise((tick) => setTimeout(tick, 10));
    await new Promise((settle) => setTimeout(settle, 50));
    const t0 = Date.now();

    // Act
    client.close();

    // Assert
    await expect(pending).resolves.toMatchObject({ code: 'CALENDLY_ABORTED' });
    expect(Date.now() - t0).toBeLessThan(1_000);
    expect(server.requests()).toBe(1);
  });

  it('should tell the observer each attempt\'s status and each rate-limit pause', async () => {
    // Arrange
    simulator = await startEmptySimulator({ now: NOW, faults: { failFirst: 1, rateLimitFirst: 1, rateLimitResetSeconds: 0 } });
    const statuses: (number | 'error')[] = [];
    let pauses = 0;
    client = clientFor(simulator, {
      observer: { calendlyRequest: (status) => statuses.push(status), calendlyRateLimitWait: () => { pauses += 1; } },
    });

    // Act
    await client.getCurrentUser();

    // Assert
    expect(statuses).toHaveLength(client.stats().requests);
    expect(statuses).toEqual(expect.arrayContaining([429, 500, 200]));
    expect(statuses[statuses.length - 1]).toBe(200);
    expect(pauses).toBe(client.stats().rateLimitWaits);
    expect(pauses).toBeGreaterThanOrEqual(1);
  });
});
