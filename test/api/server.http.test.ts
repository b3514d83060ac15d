import type { Database } from '../../src/db/data-source';
import { startApp, type App } from '../../src/server/start-app';
import { openTestDatabase } from '../helpers/test-db';
import { gql, silentLogger, testConfig } from './support/test-app';

const TOKEN = 'test-token-7f3a9c';
const QUERY = '{ syncRuns { id } }';

describe('HTTP server: token, health and start-up rules', () => {
  let db: Database;
  let app: App;

  beforeAll(async () => {
    db = await openTestDatabase();
    app = await startApp({ config: testConfig({ API_TOKEN: TOKEN }), db, logger: silentLogger() });
  });

  afterAll(async () => {
    await app?.close();
    await db?.close();
  });

  describe('API_TOKEN', () => {
    it.each([
      ['missing', {}],
      ['wrong', { authorization: `Bearer ${TOKEN}x` }],
      ['not a bearer', { authorization: `Basic ${TOKEN}` }],
      ['empty', { authorization: 'Bearer ' }],
    ])('should answer 401 UNAUTHENTICATED when the token is %s', async (_case, headers) => {
      const response = await gql(app.url, QUERY, undefined, headers as Record<string, string>);
      expect(response.status).toBe(401);
      expect(response.errors?.[0].extensions).toEqual({ code: 'UNAUTHENTICATED' });
      expect(response.data).toBeUndefined();
    });

    it('should answer the query when the token is right', async () => {
      const response = await gql(app.url, QUERY, undefined, { authorization: `Bearer ${TOKEN}` });
      expect(response.status).toBe(200);
      expect(response.data).toEqual({ syncRuns: [] });
    });

    it('should answer a CORS preflight without a token so browser tools can send one', async () => {
      const response = await fetch(app.url, { method: 'OPTIONS' });
      expect(response.status).toBe(204);
      expect(response.headers.get('access-control-allow-headers')).toContain('authorization');
    });
  });

  describe('health', () => {
    it('should answer /healthz 200 without a token', async () => {
      const response = await fetch(`${app.origin}/healthz`);
      expect(response.status).toBe(200);
      expect(await response.json()).toEqual({ status: 'ok' });
    });

    it('should answer /readyz 200 when the database answers and 503 when a migration is pending', async () => {
      // Arrange
      const ready = await fetch(`${app.origin}/readyz`);
      const [last] = await db.dataSource.query('select * from schema_migrations order by version desc limit 1');
      await db.dataSource.query('delete from schema_migrations where version = $1', [last.version]);

      // Act
      const pending = await fetch(`${app.origin}/readyz`);
      await db.dataSource.query('insert into schema_migrations (version, name, checksum, applied_at) values ($1, $2, $3, $4)',
        [last.version, last.name, last.checksum, last.applied_at]);

      // Assert
      expect(ready.status).toBe(200);
      expect(pending.status).toBe(503);
      expect(await pending.json()).toEqual({ ready: false, reason: 'migrations pending', pendingMigrations: [last.name] });
    });
  });

  describe('requests', () => {
    it('should answer 400 BAD_REQUEST when the body is not JSON', async () => {
      const response = await fetch(app.url, { method: 'POST', headers: { 'content-type': 'application/json', authorization: `Bearer ${TOKEN}` }, body: '{nope' });
      expect(response.status).toBe(400);
      expect(((await response.json()) as { errors: { extensions: unknown }[] }).errors[0].extensions).toEqual({ code: 'BAD_REQUEST' });
    });

    it('should answer 404 for another path', async () => {
      expect((await fetch(`${app.origin}/nope`)).status).toBe(404);
    });
  });

  describe('start-up', () => {
    it('should refuse to start with INVALID_CONFIG when HOST is not loopback and API_TOKEN is unset', async () => {
      await expect(startApp({ config: testConfig({ HOST: '0.0.0.0' }), db, logger: silentLogger() }))
        .rejects.toMatchObject({ code: 'INVALID_CONFIG', variable: 'API_TOKEN' });
    });

    it('should register no scheduled task when SYNC_CRON is off and the sync task when it is set', async () => {
      const withCron = await startApp({ config: testConfig({ SYNC_CRON: '0 3 * * *', API_TOKEN: TOKEN }), db, logger: silentLogger() });
      try {
        expect(app.scheduler.taskIds).toEqual([]);
        expect(withCron.scheduler.taskIds).toEqual(['calendly-sync']);
      } finally {
        await withCron.close();
      }
    });
  });
});
