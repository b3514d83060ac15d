import { Agent } from 'node:http';
import type { Database } from '../../src/db/data-source';
import { startApp, type App } from '../../src/server/start-app';
import { openTestDatabase } from '../helpers/test-db';
import { errorCode, rawRequest, silentLogger, testConfig } from './support/test-app';

const LISTED = 'https://app.example.test';
const STRANGER = 'https://evil.example';
const READ = JSON.stringify({ query: '{ syncRuns { id } }' });
// Refused before it runs, so no simulator is needed: a run that started would leave a row.
const WRITE = JSON.stringify({ query: 'mutation { triggerSync(input: { lookbackDays: 1, lookaheadDays: 1 }) { id } }' });
const JSON_TYPE = { 'content-type': 'application/json' };

describe('HTTP edge: cross-origin access, Host names, token, body limit', () => {
  let db: Database;
  let open: App;
  let withOrigins: App;

  const runCount = async () => (await db.dataSource.query('select count(*)::int as runs from sync_runs'))[0].runs as number;

  beforeAll(async () => {
    db = await openTestDatabase();
    open = await startApp({ config: testConfig(), db, logger: silentLogger() });
    withOrigins = await startApp({ config: testConfig({ CORS_ORIGINS: `${LISTED}, http://localhost:5173` }), db, logger: silentLogger() });
  });

  afterAll(async () => {
    await open?.close();
    await withOrigins?.close();
    await db?.close();
  });

  describe('CORS', () => {
    it('should refuse a cross-origin JSON read with 403 and no allow-origin header when CORS_ORIGINS is unset', async () => {
      const response = await rawRequest(open.url, { method: 'POST', headers: { ...JSON_TYPE, origin: STRANGER }, body: READ });
      expect(response.status).toBe(403);
      expect(errorCode(response)).toBe('ORIGIN_NOT_ALLOWED');
      expect(response.headers['access-control-allow-origin']).toBeUndefined();
    });

    it('should not run a cross-origin mutation when the origin is not listed', async () => {
      // Arrange
      const before = await runCount();

      // Act
      const refused = await rawRequest(withOrigins.url, { method: 'POST', headers: { ...JSON_TYPE, origin: STRANGER }, body: WRITE });

      // Assert
      expect(refused.status).toBe(403);
      expect(await runCount()).toBe(before);
    });

    it('should grant no origin in a preflight when CORS_ORIGINS is unset', async () => {
      const response = await rawRequest(open.url, { method: 'OPTIONS', headers: {
        origin: STRANGER, 'access-control-request-method': 'POST', 'access-control-request-headers': 'content-type' } });
      expect(response.headers['access-control-allow-origin']).toBeUndefined();
      expect(response.status).toBeGreaterThanOrEqual(400);
    });

    it('should let a listed origin preflight and read, echoing only that origin', async () => {
      // Act
      const preflight = await rawRequest(withOrigins.url, { method: 'OPTIONS', headers: {
        origin: LISTED, 'access-control-request-method': 'POST', 'access-control-request-headers': 'content-type, authorization' } });
      const read = await rawRequest(withOrigins.url, { method: 'POST', headers: { ...JSON_TYPE, origin: LISTED }, body: READ });

      // Assert
      expect(preflight.status).toBe(204);
      expect(preflight.headers['access-control-allow-origin']).toBe(LISTED);
      expect(String(preflight.headers['access-control-allow-headers'])).toMatch(/authorization/i);
      expect(read.status).toBe(200);
      expect(read.headers['access-control-allow-origin']).toBe(LISTED);
      expect(JSON.parse(read.body)).toEqual({ data: { syncRuns: [] } });
    });

    it('should never answer access-control-allow-origin: * and never echo an origin that is not listed', async () => {
      const responses = await Promise.all([open, withOrigins].flatMap((app) => [
        rawRequest(app.url, { method: 'POST', headers: JSON_TYPE, body: READ }),
        rawRequest(app.url, { method: 'POST', headers: { ...JSON_TYPE, origin: STRANGER }, body: READ }),
        rawRequest(`${app.origin}/healthz`, { headers: { origin: STRANGER } }),
      ]));
      for (const response of responses) expect(response.headers['access-control-allow-origin']).toBeUndefined();
    });

    it('should answer a same-origin request (the landing page on this server)', async () => {
      const response = await rawRequest(open.url, { method: 'POST', headers: { ...JSON_TYPE, origin: open.origin }, body: READ });
      expect(response.status).toBe(200);
    });
  });

  describe('Host', () => {
    it.each(['evil.example', 'evil.example:4000', '127.0.0.1.evil.example', 'localhost.evil.example', '10.0.0.5'])(
      'should refuse Host %s with 403 HOST_NOT_ALLOWED when API_TOKEN is unset (DNS rebinding)', async (host) => {
        const before = await runCount();
        const response = await rawRequest(open.url, { method: 'POST', headers: { ...JSON_TYPE, host }, body: WRITE });
        expect(response.status).toBe(403);
        expect(errorCode(response)).toBe('HOST_NOT_ALLOWED');
        expect(await runCount()).toBe(before);
      });

    it('should refuse a foreign Host on /metrics and /readyz as well', async () => {
      for (const path of ['/metrics', '/readyz']) {
        const response = await rawRequest(`${open.origin}${path}`, { headers: { host: 'evil.example' } });
        expect(response.status).toBe(403);
      }
    });

    it.each(['localhost', 'LOCALHOST:4000', '127.0.0.1', '127.0.0.1:4000', '127.1.2.3:80', '[::1]', '[::1]:4000'])(
      'should accept the loopback Host %s', async (host) => {
        const response = await rawRequest(open.url, { method: 'POST', headers: { ...JSON_TYPE, host }, body: READ });
        expect(response.status).toBe(200);
      });

    it('should accept any Host when API_TOKEN is set', async () => {
      const guarded = await startApp({ config: testConfig({ API_TOKEN: 'tok' }), db, logger: silentLogger() });
      try {
        const response = await rawRequest(guarded.url, { method: 'POST',
          headers: { ...JSON_TYPE, host: 'sync.internal.example', authorization: 'Bearer tok' }, body: READ });
        expect(response.status).toBe(200);
      } finally {
        await guarded.close();
      }
    });
  });

  describe('API_TOKEN', () => {
    it('should accept the token when API_TOKEN was set with surrounding spaces', async () => {
      const guarded = await startApp({ config: testConfig({ API_TOKEN: '  tok-with-spaces \t' }), db, logger: silentLogger() });
      try {
        const right = await rawRequest(guarded.url, { method: 'POST', headers: { ...JSON_TYPE, authorization: 'Bearer tok-with-spaces' }, body: READ });
        const wrong = await rawRequest(guarded.url, { method: 'POST', headers: { ...JSON_TYPE, authorization: 'Bearer tok' }, body: READ });
        expect(right.status).toBe(200);
        expect(wrong.status).toBe(401);
      } finally {
        await guarded.close();
      }
    });
  });

  describe('body limit', () => {
    it('should answer 413 for an oversized body and then serve the next request on the same keep-alive socket', async () => {
      // Arrange
      const agent = new Agent({ keepAlive: true, maxSockets: 1 });
      const oversized = JSON.stringify({ query: `{ syncRuns { id } } # ${'x'.repeat(1_100_000)}` });
      try {
        // Act
        const tooLarge = await rawRequest(open.url, { method: 'POST', headers: JSON_TYPE, body: oversized, agent });
        const next = await rawRequest(open.url, { method: 'POST', headers: JSON_TYPE, body: READ, agent });

        // Assert
        expect(tooLarge.status).toBe(413);
        expect(errorCode(tooLarge)).toBe('PAYLOAD_TOO_LARGE');
        expect(next.reusedSocket).toBe(true);
        expect(next.status).toBe(200);
        expect(JSON.parse(next.body)).toEqual({ data: { syncRuns: [] } });
      } finally {
        agent.destroy();
      }
    });
  });
});
