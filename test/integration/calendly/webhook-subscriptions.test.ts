import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { CALENDLY_WEBHOOK_EVENTS } from '../../../src/calendly/calendly.types';
import { checkWebhookSignature, SIGNATURE_HEADER } from '../../../src/calendly/webhook-signature';
import { OrganisationActivity } from '../../../src/simulator/organisation-activity';
import { startEmptySimulator, type Simulator } from '../../../src/simulator/simulator.server';
import { caught, clientFor } from './calendly-test.helper';

const KEY = 'whsec_simulator_test';

interface Received {
  headers: http.IncomingHttpHeaders;
  body: Buffer;
}

/** A local receiver that answers with the statuses it is given, in order (then 200). */
async function receiver(statuses: number[] = []) {
  const received: Received[] = [];
  const server = http.createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (chunk: Buffer) => chunks.push(chunk));
    req.on('end', () => {
      received.push({ headers: req.headers, body: Buffer.concat(chunks) });
      res.writeHead(statuses.shift() ?? 200).end();
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const url = `http://127.0.0.1:${(server.address() as AddressInfo).port}/webhooks/calendly`;
  return { url, received, close: () => new Promise<void>((resolve) => server.close(() => resolve())) };
}

describe('Calendly webhook subscriptions (client against the simulator)', () => {
  let simulator: Simulator;

  afterEach(async () => {
    await simulator.close();
  });

  it('should create, list and delete an organisation-scope subscription', async () => {
    // Arrange
    simulator = await startEmptySimulator({ webhooks: { retryBaseMs: 5 } });
    const client = clientFor(simulator);
    // Act
    const created = await client.createWebhookSubscription({
      url: 'https://hooks.example.com/webhooks/calendly', organization: simulator.organizationUri, events: CALENDLY_WEBHOOK_EVENTS, signingKey: KEY,
    });
    const listed = await client.listWebhookSubscriptions(simulator.organizationUri);
    await client.deleteWebhookSubscription(created.uri);
    const afterDelete = await client.listWebhookSubscriptions(simulator.organizationUri);
    client.close();
    // Assert
    expect(created).toMatchObject({ scope: 'organization', state: 'active', events: [...CALENDLY_WEBHOOK_EVENTS] });
    expect(listed.map((s) => s.uri)).toEqual([created.uri]);
    expect(afterDelete).toEqual([]);
  });

  it('should turn the 403 of a plan without webhooks into CALENDLY_WEBHOOKS_UNAVAILABLE', async () => {
    simulator = await startEmptySimulator({ webhooks: { forbidden: true } });
    const client = clientFor(simulator);
    const error = await caught(client.listWebhookSubscriptions(simulator.organizationUri));
    client.close();
    expect(error).toMatchObject({ code: 'CALENDLY_WEBHOOKS_UNAVAILABLE' });
  });

  it('should read one invitee by its URI', async () => {
    simulator = await startEmptySimulator();
    const event = simulator.dataset.addEvent();
    const invitee = simulator.dataset.addInvitee(event.uri, { email: 'solo@example.com' });
    const client = clientFor(simulator);
    const read = await client.getInvitee(invitee.uri);
    client.close();
    expect(read).toEqual(invitee);
  });
});

describe('simulated deliveries', () => {
  let simulator: Simulator;
  let target: Awaited<ReturnType<typeof receiver>>;

  afterEach(async () => {
    await simulator.close();
    await target.close();
  });

  async function subscribed(statuses: number[] = []) {
    simulator = await startEmptySimulator({ webhooks: { retryBaseMs: 5, maxAttempts: 4 } });
    target = await receiver(statuses);
    const client = clientFor(simulator);
    await client.createWebhookSubscription({ url: target.url, organization: simulator.organizationUri, events: CALENDLY_WEBHOOK_EVENTS, signingKey: KEY });
    client.close();
    return new OrganisationActivity(simulator.dataset, simulator.webhooks);
  }

  it('should post a booking as a signed invitee.created carrying the invitee and its event', async () => {
    // Arrange
    const activity = await subscribed();
    // Act
    const invitee = activity.book('new@example.com', new Date(Date.now() + 86_400_000));
    await simulator.webhooks.deliverer.idle();
    // Assert
    expect(target.received).toHaveLength(1);
    const [{ headers, body }] = target.received;
    expect(checkWebhookSignature(headers[SIGNATURE_HEADER] as string, body, KEY, Date.now())).toBe('valid');
    const delivery = JSON.parse(body.toString('utf8'));
    expect(delivery).toMatchObject({ event: 'invitee.created', payload: { uri: invitee.uri, email: 'new@example.com', scheduled_event: { uri: invitee.event } } });
  });

  it('should send a reschedule as invitee.canceled then invitee.created', async () => {
    const activity = await subscribed();
    const old = activity.book('moving@example.com', new Date(Date.now() + 86_400_000));
    await simulator.webhooks.deliverer.idle();
    activity.reschedule(old.uri, new Date(Date.now() + 2 * 86_400_000));
    await simulator.webhooks.deliverer.idle();
    const events = target.received.map((r) => JSON.parse(r.body.toString('utf8')));
    expect(events.map((e) => e.event)).toEqual(['invitee.created', 'invitee.canceled', 'invitee.created']);
    expect(events[1].payload).toMatchObject({ uri: old.uri, rescheduled: true, status: 'canceled' });
  });

  it('should retry a non-2xx answer with backoff until it is acknowledged', async () => {
    const activity = await subscribed([500, 302]);
    activity.book('retry@example.com', new Date(Date.now() + 86_400_000));
    await simulator.webhooks.deliverer.idle();
    expect(target.received).toHaveLength(3);
    expect(simulator.webhooks.deliverer.stats).toMatchObject({ delivered: 1, failedAttempts: 2, abandoned: 0 });
  });

  it('should drop the subscription at once when the endpoint answers 410', async () => {
    const activity = await subscribed([410]);
    activity.book('gone@example.com', new Date(Date.now() + 86_400_000));
    await simulator.webhooks.deliverer.idle();
    activity.book('after@example.com', new Date(Date.now() + 86_400_000));
    await simulator.webhooks.deliverer.idle();
    expect(target.received).toHaveLength(1);
    expect(simulator.webhooks.list()).toEqual([]);
  });
});
