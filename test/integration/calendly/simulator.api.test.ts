import type { CalendlyErrorBody, CalendlyInvitee, CalendlyPage, CalendlyScheduledEvent } from '../../../src/calendly/calendly.types';
import { startEmptySimulator, type Simulator } from '../../../src/simulator/simulator.server';
import { NOW } from './calendly-test.helper';

describe('Calendly simulator HTTP API', () => {
  let simulator: Simulator;
  let uuidOf: (uri: string) => string;

  // `Body` is what the test expects the answer to be (a page, a resource or an error); the assertions check it.
  async function get<Body = unknown>(path: string, token: string | null = simulator.apiKey) {
    const response = await fetch(`${simulator.url}${path}`, { headers: token ? { Authorization: `Bearer ${token}` } : {} });
    return { status: response.status, headers: response.headers, body: (await response.json()) as Body };
  }
  const events = <Body = CalendlyPage<CalendlyScheduledEvent>>(query: string) =>
    get<Body>(`/scheduled_events?organization=${encodeURIComponent(simulator.organizationUri)}&${query}`);

  beforeAll(async () => {
    simulator = await startEmptySimulator({ now: NOW });
    uuidOf = (uri) => uri.slice(uri.lastIndexOf('/') + 1);
    const d = simulator.dataset;
    const a = d.addEvent({ start_time: '2026-03-02T10:00:00.000000Z' });
    const b = d.addEvent({ start_time: '2026-03-03T10:00:00.000000Z', kindIndex: 3 });
    d.addEvent({ start_time: '2026-03-04T10:00:00.000000Z' });
    d.addInvitee(a.uri, { email: ' Carol@Example.com\t' });
    d.addInvitee(b.uri, { email: 'dan@example.com', created_at: '2026-02-01T00:00:00.000000Z' });
    d.addInvitee(b.uri, { email: 'erin@example.com', created_at: '2026-02-02T00:00:00.000000Z' });
    d.cancelInvitee(d.inviteesByEvent.get(b.uri)![1].uri, new Date('2026-02-20T00:00:00Z'));
    d.cancelEvent(d.events[2].uri, new Date('2026-02-21T00:00:00Z'));
  });
  afterAll(async () => {
    await simulator.close();
  });

  it('should answer 400 Invalid Argument with details when no organization, user or group is given', async () => {
    const { status, body } = await get('/scheduled_events');
    expect(status).toBe(400);
    expect(body).toMatchObject({ title: 'Invalid Argument', message: expect.any(String), details: [{ parameter: 'organization', message: expect.any(String) }] });
  });

  it('should answer 400 when both organization and user are given', async () => {
    const { status } = await events(`user=${encodeURIComponent(simulator.dataset.hosts[0].uri)}`);
    expect(status).toBe(400);
  });

  it.each(['0', '101', 'abc'])('should answer 400 when count is %s', async (count) => {
    const { status, body } = await events<CalendlyErrorBody>(`count=${count}`);
    expect(status).toBe(400);
    expect(body.details?.[0].parameter).toBe('count');
  });

  it('should answer 401 Unauthenticated when the token is missing or wrong', async () => {
    expect(await get('/users/me', null)).toMatchObject({ status: 401, body: { title: 'Unauthenticated' } });
    expect(await get('/users/me', 'wrong')).toMatchObject({ status: 401, body: { title: 'Unauthenticated' } });
  });

  it('should send the rate-limit headers on every response, errors included', async () => {
    for (const response of [await get('/users/me'), await get('/users/me', null), await get('/scheduled_events')]) {
      expect(response.headers.get('x-ratelimit-limit')).toMatch(/^\d+$/);
      expect(response.headers.get('x-ratelimit-remaining')).toMatch(/^\d+$/);
      expect(response.headers.get('x-ratelimit-reset')).toMatch(/^\d+$/);
    }
  });

  it('should filter on start_time >= min and < max when both bounds are given', async () => {
    const { body } = await events('min_start_time=2026-03-02T10:00:00Z&max_start_time=2026-03-04T10:00:00Z');
    expect(body.collection.map((e) => e.start_time)).toEqual([
      '2026-03-02T10:00:00.000000Z', '2026-03-03T10:00:00.000000Z',
    ]);
  });

  it('should sort descending and filter by status and invitee_email when asked', async () => {
    const desc = await events('sort=start_time:desc');
    expect(desc.body.collection[0].start_time).toBe('2026-03-04T10:00:00.000000Z');
    const canceled = await events('status=canceled');
    expect(canceled.body.collection).toHaveLength(1);
    const carol = await events('invitee_email=carol@example.com');
    expect(carol.body.collection).toHaveLength(1);
  });

  it('should paginate with a full next_page URL and an opaque token when count is small', async () => {
    const first = await events('count=2');
    expect(first.body.pagination).toMatchObject({ count: 2, next_page_token: expect.any(String), previous_page: null });
    const nextUrl = new URL(first.body.pagination.next_page ?? 'next_page is null');
    expect(nextUrl.origin).toBe(simulator.url);
    expect(nextUrl.searchParams.get('page_token')).toBe(first.body.pagination.next_page_token);
    const second = await get<CalendlyPage<CalendlyScheduledEvent>>(`${nextUrl.pathname}${nextUrl.search}`);
    expect(second.body.collection).toHaveLength(1);
    expect(second.body.pagination).toMatchObject({ next_page: null, next_page_token: null, previous_page_token: expect.any(String) });
    expect((await events('page_token=garbage')).status).toBe(400);
  });

  it('should return one event as a resource and 404 Resource Not Found for an unknown uuid', async () => {
    const event = simulator.dataset.events[0];
    expect(await get(`/scheduled_events/${uuidOf(event.uri)}`)).toMatchObject({ status: 200, body: { resource: { uri: event.uri } } });
    expect(await get('/scheduled_events/UNKNOWN')).toMatchObject({ status: 404, body: { title: 'Resource Not Found' } });
    expect(await get('/scheduled_events/UNKNOWN/invitees')).toMatchObject({ status: 404 });
  });

  it('should list invitees by created_at and filter them by status and email', async () => {
    const group = simulator.dataset.events[1];
    const path = `/scheduled_events/${uuidOf(group.uri)}/invitees`;
    const all = await get<CalendlyPage<CalendlyInvitee>>(`${path}?sort=created_at:desc`);
    expect(all.body.collection.map((i) => i.email)).toEqual(['erin@example.com', 'dan@example.com']);
    const active = await get<CalendlyPage<CalendlyInvitee>>(`${path}?status=active`);
    expect(active.body.collection.map((i) => i.email)).toEqual(['dan@example.com']);
    const erin = await get<CalendlyPage<CalendlyInvitee>>(`${path}?email=erin@example.com`);
    expect(erin.body.collection).toHaveLength(1);
  });
});
