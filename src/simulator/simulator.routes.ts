import type { CalendlyErrorDetail, CalendlyInvitee, CalendlyScheduledEvent } from '../calendly/calendly.types';
import { parseTime } from './calendly-time';
import type { EventEntry, SimulatorDataset } from './simulator-dataset';

export type RouteKind = 'me' | 'events' | 'event' | 'invitees' | 'other';

export interface RouteAnswer {
  status: number;
  body: unknown;
}

const STATUSES = ['active', 'canceled'];

/** Answers one authenticated, fault-free request from the dataset, with Calendly's shapes and errors. */
export function routeRequest(dataset: SimulatorDataset, method: string, url: URL, baseUrl: string): RouteAnswer {
  if (method !== 'GET') return notFound();
  const path = url.pathname;
  if (path === '/users/me') return { status: 200, body: { resource: dataset.currentUser() } };
  if (path === '/scheduled_events') return listEvents(dataset, url, baseUrl);
  const invitees = /^\/scheduled_events\/([^/]+)\/invitees$/.exec(path);
  if (invitees) return listInvitees(dataset, decodeURIComponent(invitees[1]), url, baseUrl);
  const oneInvitee = /^\/scheduled_events\/([^/]+)\/invitees\/([^/]+)$/.exec(path);
  if (oneInvitee) {
    const uuid = decodeURIComponent(oneInvitee[2]);
    const invitee = dataset.findEntryByUuid(decodeURIComponent(oneInvitee[1]))?.invitees.find((i) => i.uri.endsWith(`/${uuid}`));
    return invitee ? { status: 200, body: { resource: invitee } } : notFound();
  }
  const event = /^\/scheduled_events\/([^/]+)$/.exec(path);
  if (event) {
    const entry = dataset.findEntryByUuid(decodeURIComponent(event[1]));
    return entry ? { status: 200, body: { resource: entry.event } } : notFound();
  }
  return notFound();
}

function listEvents(dataset: SimulatorDataset, url: URL, baseUrl: string): RouteAnswer {
  const q = url.searchParams;
  const details: CalendlyErrorDetail[] = [];
  const scopes = ['organization', 'user', 'group'].filter((name) => q.has(name));
  if (scopes.length !== 1) {
    details.push({ parameter: 'organization', message: 'exactly one of organization, user or group is required' });
  }
  const minStart = timeParam(q, 'min_start_time', details);
  const maxStart = timeParam(q, 'max_start_time', details);
  const status = enumParam(q, 'status', STATUSES, details);
  const sort = enumParam(q, 'sort', ['start_time:asc', 'start_time:desc'], details) ?? 'start_time:asc';
  const count = countParam(q, details);
  const offset = pageTokenParam(q, details);
  if (details.length) return invalidArgument(details);

  if (q.has('organization') && q.get('organization') !== dataset.organizationUri) {
    return { status: 403, body: { title: 'Permission Denied', message: 'You do not have permission to access this resource.' } };
  }
  const user = q.get('user');
  const group = q.get('group');
  const email = q.get('invitee_email')?.trim().toLowerCase();

  const matches = (entry: EventEntry): boolean => {
    if (minStart !== undefined && entry.startMs < minStart) return false;
    if (maxStart !== undefined && entry.startMs >= maxStart) return false;
    if (status && entry.event.status !== status) return false;
    if (user && !entry.event.event_memberships.some((m) => m.user === user)) return false;
    if (group) return false; // groups are not modelled: nothing belongs to one
    if (email && !entry.invitees.some((i) => typeof i.email === 'string' && i.email.trim().toLowerCase() === email)) return false;
    return true;
  };
  let selected = dataset.sortedEntries().filter(matches);
  if (sort === 'start_time:desc') selected = selected.reverse();
  return page<CalendlyScheduledEvent>(selected.map((e) => e.event), offset, count, url, baseUrl);
}

function listInvitees(dataset: SimulatorDataset, uuid: string, url: URL, baseUrl: string): RouteAnswer {
  const entry = dataset.findEntryByUuid(uuid);
  if (!entry) return notFound();
  const q = url.searchParams;
  const details: CalendlyErrorDetail[] = [];
  const status = enumParam(q, 'status', STATUSES, details);
  const sort = enumParam(q, 'sort', ['created_at:asc', 'created_at:desc'], details) ?? 'created_at:asc';
  const count = countParam(q, details);
  const offset = pageTokenParam(q, details);
  if (details.length) return invalidArgument(details);

  const email = q.get('email')?.trim().toLowerCase();
  const selected = entry.invitees
    .filter((i) => !status || i.status === status)
    .filter((i) => !email || (typeof i.email === 'string' && i.email.trim().toLowerCase() === email))
    .sort((a, b) => parseTime(a.created_at) - parseTime(b.created_at) || (a.uri < b.uri ? -1 : 1));
  if (sort === 'created_at:desc') selected.reverse();
  return page<CalendlyInvitee>(selected, offset, count, url, baseUrl);
}

function page<T>(items: T[], offset: number, count: number, url: URL, baseUrl: string): RouteAnswer {
  const collection = items.slice(offset, offset + count);
  const nextToken = offset + count < items.length ? encodeToken(offset + count) : null;
  const previousToken = offset > 0 ? encodeToken(Math.max(0, offset - count)) : null;
  const linkTo = (token: string | null) => {
    if (token === null) return null;
    const link = new URL(url.pathname, baseUrl);
    url.searchParams.forEach((value, key) => { if (key !== 'page_token') link.searchParams.set(key, value); });
    link.searchParams.set('count', String(count));
    link.searchParams.set('page_token', token);
    return link.toString();
  };
  return {
    status: 200,
    body: {
      collection,
      pagination: {
        count: collection.length,
        next_page: linkTo(nextToken),
        previous_page: linkTo(previousToken),
        next_page_token: nextToken,
        previous_page_token: previousToken,
      },
    },
  };
}

function encodeToken(offset: number): string {
  return Buffer.from(`sim:${offset}`).toString('base64url');
}

function pageTokenParam(q: URLSearchParams, details: CalendlyErrorDetail[]): number {
  const token = q.get('page_token');
  if (token === null) return 0;
  const match = /^sim:(\d+)$/.exec(Buffer.from(token, 'base64url').toString('utf8'));
  if (!match) {
    details.push({ parameter: 'page_token', message: 'is invalid' });
    return 0;
  }
  return Number(match[1]);
}

function countParam(q: URLSearchParams, details: CalendlyErrorDetail[]): number {
  const raw = q.get('count');
  if (raw === null) return 20;
  const count = Number(raw);
  if (!/^\d+$/.test(raw) || count < 1 || count > 100) {
    details.push({ parameter: 'count', message: 'must be an integer between 1 and 100' });
    return 20;
  }
  return count;
}

function timeParam(q: URLSearchParams, name: string, details: CalendlyErrorDetail[]): number | undefined {
  const raw = q.get(name);
  if (raw === null) return undefined;
  const ms = parseTime(raw);
  if (Number.isNaN(ms)) details.push({ parameter: name, message: 'must be a valid ISO-8601 timestamp' });
  return Number.isNaN(ms) ? undefined : ms;
}

function enumParam(q: URLSearchParams, name: string, allowed: string[], details: CalendlyErrorDetail[]): string | undefined {
  const raw = q.get(name);
  if (raw === null) return undefined;
  if (!allowed.includes(raw)) {
    details.push({ parameter: name, message: `must be one of ${allowed.join(', ')}` });
    return undefined;
  }
  return raw;
}

function invalidArgument(details: CalendlyErrorDetail[]): RouteAnswer {
  return { status: 400, body: { title: 'Invalid Argument', message: 'The supplied parameters are invalid.', details } };
}

function notFound(): RouteAnswer {
  return { status: 404, body: { title: 'Resource Not Found', message: 'The server could not find the requested resource.' } };
}
