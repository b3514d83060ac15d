import http from 'node:http';
import type { AddressInfo } from 'node:net';
import type { CalendlyInvitee } from '../../src/calendly/calendly.types';
import { CALENDLY_WEBHOOK_EVENTS } from '../../src/calendly/calendly.types';
import { signWebhookBody, SIGNATURE_HEADER } from '../../src/calendly/webhook-signature';
import type { Database } from '../../src/db/data-source';
import { startApp, type App } from '../../src/server/start-app';
import { DAY_MS, HOUR_MS } from '../../src/simulator/calendly-time';
import { OrganisationActivity } from '../../src/simulator/organisation-activity';
import { startEmptySimulator, type Simulator } from '../../src/simulator/simulator.server';
import { buildInvitee } from '../factories/invitee.factory';
import { buildScheduledEvent } from '../factories/scheduled-event.factory';
import { buildWebhookDelivery } from '../factories/webhook-delivery.factory';
import { openTestDatabase } from '../helpers/test-db';
import { rawRequest, silentLogger, testConfig, type RawResponse } from './support/test-app';

const KEY = 'whsec_endpoint_test_key';

function calendlyTime(ms: number): string {
  return new Date(ms).toISOString().replace(/Z$/, '000Z');
}

/** POSTs a body to /webhooks/calendly, signed with `key` at `t` unless a header is given. */
function post(app: App, body: string, options: { key?: string; t?: number; header?: string | null } = {}): Promise<RawResponse> {
  const header = options.header === undefined
    ? signWebhookBody(options.key ?? KEY, body, options.t ?? Date.now() / 1000)
    : options.header;
  return rawRequest(`${app.origin}/webhooks/calendly`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', ...(header === null ? {} : { [SIGNATURE_HEADER]: header }) },
    body,
  });
}

/** A booking `daysAhead` from now (negative: in the past) as an invitee.created body. */
function booking(email: string, daysAhead: number, fields: Partial<CalendlyInvitee> = {}) {
  const start = Date.now() + daysAhead * DAY_MS;
  const updated = calendlyTime(Date.now() - HOUR_MS);
  const event = buildScheduledEvent({ start_time: calendlyTime(start), end_time: calendlyTime(start + HOUR_MS / 2), updated_at: updated });
  const invitee = buildInvitee({ event: event.uri, email, updated_at: updated, ...fields });
  return { event, invitee, body: JSON.stringify(buildWebhookDelivery('invitee.created', { invitee, scheduledEvent: event })) };
}

async function staged(db: Database): Promise<string> {
  const rows = await db.dataSource.query(`
    select 'e' as kind, uri, updated_at, raw, loaded_at, gone_at from calendly_scheduled_events
    union all select 'i', uri, updated_at, raw, loaded_at, gone_at from calendly_event_invitees
    union all select 'r', coalesce(uri, ''), rejected_at, raw, rejected_at, null from calendly_rejected_records
    order by 1, 2`);
  return JSON.stringify(rows);
}

async function customer(db: Database, email: string): Promise<Record<string, unknown> | undefined> {
  const [row] = await db.dataSource.query('select * from unified_customers where email = $1', [email]);
  return row;
}

async function webhookRuns(db: Database): Promise<{ id: number; status: string; fetch_mode: string; events_processed: number }[]> {
  return db.dataSource.query(`select id, status, fetch_mode, events_processed from sync_runs where trigger = 'webhook' order by id`);
}

async function deliveriesMetric(app: App, outcome: string): Promise<number> {
  const { body } = await rawRequest(`${app.origin}/metrics`);
  const match = new RegExp(`^calendly_sync_webhook_deliveries_total\\{outcome="${outcome}"\\} (\\d+)`, 'm').exec(body);
  return match ? Number(match[1]) : 0;
}

describe('POST /webhooks/calendly', () => {
  let db: Database;
  let simulator: Simulator;
  let app: App;

  const start = (env: Record<string, string> = {}) => startApp({
    config: testConfig({ CALENDLY_WEBHOOK_SIGNING_KEY: KEY, WEBHOOK_REFRESH_DELAY_MS: '50', ...env }),
    db, logger: silentLogger(), calendly: { baseUrl: simulator.url, apiKey: simulator.apiKey },
  });

  beforeAll(async () => {
    db = await openTestDatabase();
    simulator = await startEmptySimulator({ webhooks: { retryBaseMs: 20 } });
  });

  beforeEach(async () => {
    app = await start();
  });

  afterEach(async () => {
    await app.close();
  });

  afterAll(async () => {
    await simulator.close();
    await db.close();
  });

  describe('signature', () => {
    const { body } = booking('signed@example.com', 3);
    const now = () => Math.floor(Date.now() / 1000);

    it.each([
      ['missing', () => ({ header: null })],
      ['empty', () => ({ header: '' })],
      ['malformed', () => ({ header: 'v1=deadbeef' })],
      ['stale (t 6 minutes old)', () => ({ t: now() - 360 })],
      ['from the future (t 6 minutes ahead)', () => ({ t: now() + 360 })],
      ['made with another key', () => ({ key: 'whsec_someone_else' })],
    ])('should answer 401 and change nothing when the signature is %s', async (_label, options) => {
      // Arrange
      const before = await staged(db);
      // Act
      const response = await post(app, body, options());
      // Assert
      expect(response.status).toBe(401);
      expect(await staged(db)).toBe(before);
    });

    it('should answer 401 when the body was altered after signing', async () => {
      const before = await staged(db);
      const header = signWebhookBody(KEY, body, Date.now() / 1000);
      const response = await post(app, body.replace('signed@example.com', 'mallory@example.com'), { header });
      expect(response.status).toBe(401);
      expect(await staged(db)).toBe(before);
      expect(await deliveriesMetric(app, 'bad_signature')).toBe(1);
    });

    it('should need no API token, while /graphql does', async () => {
      await app.close();
      app = await start({ API_TOKEN: 'graphql-only-token' });
      const { body: fresh } = booking('tokenless@example.com', 3);
      expect((await post(app, fresh)).status).toBe(200);
      expect((await rawRequest(`${app.origin}/graphql?query={__typename}`)).status).toBe(401);
    });
  });

  it('should answer 404 when no signing key is configured', async () => {
    await app.close();
    app = await start({ CALENDLY_WEBHOOK_SIGNING_KEY: '' });
    const { body } = booking('nokey@example.com', 3);
    expect((await post(app, body)).status).toBe(404);
  });

  it('should land a booking, answer 2xx at once, then refresh the models once (trigger webhook, fetch_mode none)', async () => {
    // Arrange
    const { body, invitee, event } = booking('fresh@example.com', 2);
    const runsBefore = (await webhookRuns(db)).length;
    // Act
    const response = await post(app, body);
    const stagedRow = await db.dataSource.query('select event_uri from calendly_event_invitees where uri = $1', [invitee.uri]);
    await app.webhooks?.idle();
    // Assert
    expect(response.status).toBe(200);
    expect(stagedRow).toEqual([{ event_uri: event.uri }]);
    expect((await webhookRuns(db)).slice(runsBefore)).toMatchObject([{ status: 'succeeded', fetch_mode: 'none', events_processed: 0 }]);
    expect(await customer(db, 'fresh@example.com')).toMatchObject({ total_calls_booked: 1, calls_upcoming: 1 });
  });

  it('should change nothing when the same delivery arrives twice', async () => {
    // Arrange
    const { body } = booking('twice@example.com', 2);
    await post(app, body);
    await app.webhooks?.idle();
    const before = await staged(db);
    const runsBefore = (await webhookRuns(db)).length;
    // Act
    const response = await post(app, body);
    await app.webhooks?.idle();
    // Assert
    expect(response.status).toBe(200);
    expect(await staged(db)).toBe(before);
    expect((await webhookRuns(db)).length).toBe(runsBefore);
  });

  it('should answer 2xx and ignore an event type the service does not use', async () => {
    const before = await staged(db);
    const body = JSON.stringify(buildWebhookDelivery('routing_form_submission.created', { payload: { uri: 'https://api.calendly.com/routing_form_submissions/X' } }));
    expect((await post(app, body)).status).toBe(200);
    expect(await staged(db)).toBe(before);
    expect(await deliveriesMetric(app, 'ignored')).toBe(1);
  });

  it('should answer 400 to a signed body that is not JSON', async () => {
    const before = await staged(db);
    expect((await post(app, '{"event": "invitee.created", "payload": {')).status).toBe(400);
    expect(await staged(db)).toBe(before);
  });

  it('should answer 413 to an oversized body, before checking anything', async () => {
    const body = JSON.stringify({ event: 'invitee.created', payload: { padding: 'x'.repeat(2_000_000) } });
    expect((await post(app, body)).status).toBe(413);
  });

  it('should refuse an invalid record, keep and count it, and still answer 2xx', async () => {
    // Arrange: an invitee without an email (metrics.md §5)
    const { body, invitee } = booking('placeholder@example.com', 2, { email: '   ' });
    // Act
    const response = await post(app, body);
    // Assert
    expect(response.status).toBe(200);
    const refused = await db.dataSource.query('select run_id, webhook_event, reason from calendly_rejected_records where uri = $1', [invitee.uri]);
    expect(refused).toEqual([{ run_id: null, webhook_event: 'invitee.created', reason: 'missing_email' }]);
    expect(await db.dataSource.query('select uri from calendly_event_invitees where uri = $1', [invitee.uri])).toEqual([]);
    expect(await deliveriesMetric(app, 'refused')).toBe(1);
  });

  describe('from the simulator', () => {
    let activity: OrganisationActivity;
    let subscription: string;

    beforeEach(async () => {
      activity = new OrganisationActivity(simulator.dataset, simulator.webhooks);
      const created = simulator.webhooks.route('POST', new URL('/webhook_subscriptions', simulator.url), JSON.stringify({
        url: `${app.origin}/webhooks/calendly`, events: CALENDLY_WEBHOOK_EVENTS, organization: simulator.organizationUri,
        scope: 'organization', signing_key: KEY,
      }));
      subscription = (created?.body as { resource: { uri: string } }).resource.uri;
    });

    afterEach(async () => {
      await simulator.webhooks.deliverer.idle();
      simulator.webhooks.route('DELETE', new URL(new URL(subscription).pathname, simulator.url), '');
    });

    it('should follow a reschedule that arrives as cancel + create', async () => {
      // Arrange: a booking the service already has
      const original = activity.book('mover@example.com', new Date(Date.now() + 2 * DAY_MS));
      await simulator.webhooks.deliverer.idle();
      await app.webhooks?.idle();
      // Act
      const newStart = new Date(Date.now() + 5 * DAY_MS);
      activity.reschedule(original.uri, newStart);
      await simulator.webhooks.deliverer.idle();
      await app.webhooks?.idle();
      // Assert
      expect(await customer(db, 'mover@example.com')).toMatchObject({
        total_calls_booked: 1, calls_rescheduled: 1, calls_upcoming: 1, calls_canceled: 0,
      });
      const [{ next_call_date: next }] = await db.dataSource.query(`select next_call_date from unified_customers where email = 'mover@example.com'`);
      expect(new Date(next).getTime()).toBe(Math.floor(newStart.getTime()));
    });

    it('should let an incremental sync read an invitee list a delivery only touched', async () => {
      // Arrange: a group call synced with one guest; two more join, and only the second one's delivery arrives
      const group = simulator.dataset.addEvent({ kindIndex: 3, start_time: calendlyTime(Date.now() + 20 * DAY_MS) });
      simulator.dataset.addInvitee(group.uri, { email: 'first-guest@example.com' });
      await (await app.coordinator.start({ trigger: 'api', full: true })).finished;
      const person = (email: string) => ({ email, name: email, firstName: null, lastName: null, timezone: 'UTC' });
      simulator.dataset.joinEvent(group.uri, person('missed-guest@example.com'), new Date());
      const delivered = simulator.dataset.joinEvent(group.uri, person('delivered-guest@example.com'), new Date(Date.now() + 1000));
      simulator.webhooks.emit('invitee.created', { ...delivered, scheduled_event: simulator.dataset.getEvent(group.uri) });
      await simulator.webhooks.deliverer.idle();
      await app.webhooks?.idle();
      // Act
      const run = await (await app.coordinator.start({ trigger: 'api' })).finished;
      // Assert
      expect(run.fetchMode).toBe('incremental');
      expect(await customer(db, 'missed-guest@example.com')).toMatchObject({ calls_upcoming: 1 });
      expect(await customer(db, 'delivered-guest@example.com')).toMatchObject({ calls_upcoming: 1 });
    });

    it('should read the invitee of a no-show delivery that only names it', async () => {
      // Arrange: a call yesterday, known to the service
      const call = activity.book('absent@example.com', new Date(Date.now() - DAY_MS), new Date(Date.now() - 3 * DAY_MS));
      await simulator.webhooks.deliverer.idle();
      await app.webhooks?.idle();
      // Act
      activity.markNoShow(call.uri);
      await simulator.webhooks.deliverer.idle();
      await app.webhooks?.idle();
      // Assert
      expect(await customer(db, 'absent@example.com')).toMatchObject({ calls_no_show: 1, calls_completed: 0 });
    });
  });

  it('should lose nothing from a burst of 500 deliveries during a sync, and refresh once after it', async () => {
    // Arrange: a sync held on its first Calendly request until the burst is over (a gate in front
    // of another organisation, so the sync cannot stage the burst itself), and a subscription
    const polled = await startEmptySimulator();
    polled.dataset.addInvitee(polled.dataset.addEvent({ start_time: calendlyTime(Date.now() + DAY_MS) }).uri, { email: 'polled@example.com' });
    let openGate!: () => void;
    const gate = new Promise<void>((resolve) => { openGate = resolve; });
    const gated = http.createServer((req, res) => {
      void gate.then(async () => {
        const upstream = await fetch(`${polled.url}${req.url ?? '/'}`, { headers: { authorization: req.headers.authorization ?? '' } });
        res.writeHead(upstream.status, { 'content-type': 'application/json' }).end(await upstream.text());
      });
    });
    await new Promise<void>((resolve) => gated.listen(0, '127.0.0.1', resolve));
    await app.close();
    app = await startApp({
      config: testConfig({
        CALENDLY_WEBHOOK_SIGNING_KEY: KEY, WEBHOOK_REFRESH_DELAY_MS: '50', CALENDLY_ORGANIZATION_URI: polled.organizationUri, CALENDLY_TIMEOUT_MS: '120000',
      }),
      db, logger: silentLogger(), calendly: { baseUrl: `http://127.0.0.1:${(gated.address() as AddressInfo).port}`, apiKey: polled.apiKey },
    });
    const activity = new OrganisationActivity(simulator.dataset, simulator.webhooks);
    simulator.webhooks.route('POST', new URL('/webhook_subscriptions', simulator.url), JSON.stringify({
      url: `${app.origin}/webhooks/calendly`, events: CALENDLY_WEBHOOK_EVENTS, organization: simulator.organizationUri,
      scope: 'organization', signing_key: KEY,
    }));
    const runsBefore = (await webhookRuns(db)).length;
    const sync = await app.coordinator.start({ trigger: 'api' });
    // Act: 500 bookings delivered while it runs
    for (let i = 0; i < 500; i += 1) activity.book(`burst${i}@example.com`, new Date(Date.now() + 3 * DAY_MS));
    await simulator.webhooks.deliverer.idle();
    const [{ status: syncStatusAfterBurst }] = await db.dataSource.query('select status from sync_runs where id = $1', [sync.run.id]);
    openGate();
    await sync.finished;
    await app.webhooks?.idle();
    for (const s of simulator.webhooks.list()) simulator.webhooks.route('DELETE', new URL(new URL(s.uri).pathname, simulator.url), '');
    await new Promise<void>((resolve) => gated.close(() => resolve()));
    await polled.close();
    // Assert
    expect(syncStatusAfterBurst).toBe('running');
    expect(simulator.webhooks.deliverer.stats.abandoned).toBe(0);
    expect((await webhookRuns(db)).slice(runsBefore)).toMatchObject([{ status: 'succeeded', fetch_mode: 'none' }]);
    const [{ count }] = await db.dataSource.query(
      `select count(*)::int as count from unified_customers where email like 'burst%@example.com' and calls_upcoming = 1`);
    expect(count).toBe(500);
    expect(await customer(db, 'polled@example.com')).toMatchObject({ calls_upcoming: 1 });
  }, 120_000);

  it('should leave a delivery landed before a restart to the next refresh', async () => {
    // Arrange: a service that stops before its refresh is due
    await app.close();
    app = await start({ WEBHOOK_REFRESH_DELAY_MS: '600000' });
    const first = booking('before-restart@example.com', 4);
    expect((await post(app, first.body)).status).toBe(200);
    await app.close();
    expect(await customer(db, 'before-restart@example.com')).toBeUndefined();
    // Act: the restarted service gets another delivery
    app = await start();
    const second = booking('after-restart@example.com', 4);
    await post(app, second.body);
    await app.webhooks?.idle();
    // Assert
    expect(await customer(db, 'before-restart@example.com')).toMatchObject({ calls_upcoming: 1 });
    expect(await customer(db, 'after-restart@example.com')).toMatchObject({ calls_upcoming: 1 });
  });
});
