import { randomBytes } from 'node:crypto';
import http, { type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { CalendlyErrorDetail } from '../calendly/calendly.types';
import { generateDataset, type GenerateDatasetOptions } from './dataset.generator';
import { Prng } from './prng';
import type { SimulatorDataset } from './simulator-dataset';
import { routeRequest, type RouteKind } from './simulator.routes';
import { SimulatedWebhooks, type SimulatedWebhooksOptions } from './webhook-subscriptions';

export interface SimulatorFaults {
  /** Fraction of requests answered 500/502/503. */
  errorRate?: number;
  /** Fraction of requests whose response is held for `stallMs` (default 30 s) before answering. */
  stallRate?: number;
  stallMs?: number;
  /** Fraction of requests answered 200 with a body that is not valid JSON. */
  malformedRate?: number;
  /** The first N matching requests get 200 with a truncated JSON body: deterministic, for tests. */
  malformedFirst?: number;
  /** Only requests whose path matches get faults (default: all). */
  failPaths?: RegExp;
  /** The first N matching requests fail with 500: deterministic, for tests. */
  failFirst?: number;
  /** The first N matching requests get 429 with reset `rateLimitResetSeconds` (default 1). */
  rateLimitFirst?: number;
  rateLimitResetSeconds?: number;
  /** Every request is answered 401, as with a revoked token. */
  status401?: boolean;
  /** Requests whose path matches are answered 404, as for an event deleted after it was listed. */
  notFoundPaths?: RegExp;
}

export interface SimulatorOptions extends GenerateDatasetOptions {
  /** Bearer token the simulator accepts; default a random one. */
  apiKey?: string;
  /** Delay before every response. */
  latencyMs?: number;
  /** Requests allowed per window (a minute unless `rateLimitWindowMs` says otherwise); unset = unlimited. */
  rateLimitPerMinute?: number;
  rateLimitWindowMs?: number;
  /** Also send `Retry-After` on 429 (real Calendly documents only `X-RateLimit-Reset`). */
  retryAfterHeader?: boolean;
  faults?: SimulatorFaults;
  /** Delivery retries and timeouts of `/webhook_subscriptions`, or a plan without webhooks. */
  webhooks?: SimulatedWebhooksOptions;
  /** Default 0: an ephemeral port. */
  port?: number;
  host?: string;
}

export type SimulatorRouteKind = RouteKind;

export interface SimulatorStats {
  requests: number;
  inFlight: number;
  maxInFlight: number;
  byPath: Record<RouteKind, number>;
  /** 429 answers sent. */
  rateLimited: number;
  /** 5xx, stalls and malformed bodies injected. */
  faultsInjected: number;
}

export interface Simulator {
  url: string;
  organizationUri: string;
  apiKey: string;
  dataset: SimulatorDataset;
  /** Webhook subscriptions and their deliveries (`webhooks.emit` after a change to `dataset`). */
  webhooks: SimulatedWebhooks;
  /** Live counters; `resetStats()` zeroes them. */
  stats: SimulatorStats;
  resetStats(): void;
  close(): Promise<void>;
}

// Reported when no limit is enforced, so clients never see an exhausted window.
const UNLIMITED = 1_000_000;

/** Starts a Calendly API simulator on loopback with a generated (or empty) organisation. */
export async function startSimulator(options: SimulatorOptions = {}): Promise<Simulator> {
  const dataset = generateDataset(options);
  const apiKey = options.apiKey ?? `sim_pat_${randomBytes(18).toString('hex')}`;
  const faults = options.faults ?? {};
  const webhooks = new SimulatedWebhooks(dataset, options.webhooks);
  const faultRng = new Prng((options.seed ?? 1) ^ 0xfa17);
  const stats = emptyStats();
  const windowMs = options.rateLimitWindowMs ?? 60_000;
  const limit = options.rateLimitPerMinute ?? UNLIMITED;
  const rateWindow = { startedAt: 0, used: 0 };
  let failFirstLeft = faults.failFirst ?? 0;
  let rateLimitFirstLeft = faults.rateLimitFirst ?? 0;
  let malformedFirstLeft = faults.malformedFirst ?? 0;
  const sockets = new Set<import('node:net').Socket>();
  const pendingTimers = new Set<NodeJS.Timeout>();
  let baseUrl = '';

  const delay = (ms: number) => new Promise<void>((resolve) => {
    const timer = setTimeout(() => { pendingTimers.delete(timer); resolve(); }, ms);
    pendingTimers.add(timer);
  });

  const handle = async (req: IncomingMessage, res: ServerResponse): Promise<void> => {
    const url = new URL(req.url ?? '/', baseUrl);
    const kind = routeKind(url.pathname);
    stats.requests += 1;
    stats.byPath[kind] += 1;
    stats.inFlight += 1;
    stats.maxInFlight = Math.max(stats.maxInFlight, stats.inFlight);
    res.on('close', () => { stats.inFlight -= 1; });

    // Fixed window, started by the first request after the previous one ended.
    const now = Date.now();
    if (now - rateWindow.startedAt >= windowMs) {
      rateWindow.startedAt = now;
      rateWindow.used = 0;
    }
    const resetSeconds = Math.max(1, Math.ceil((rateWindow.startedAt + windowMs - now) / 1000));
    const headers = (remaining: number, reset = resetSeconds): Record<string, string> => ({
      'X-RateLimit-Limit': String(limit),
      'X-RateLimit-Remaining': String(Math.max(0, remaining)),
      'X-RateLimit-Reset': String(reset),
    });

    if (options.latencyMs) await delay(options.latencyMs);

    const auth = req.headers.authorization;
    if (faults.status401 || auth !== `Bearer ${apiKey}`) {
      return send(res, 401, headers(limit - rateWindow.used), errorBody('Unauthenticated', 'The access token is invalid'));
    }

    const faultable = !faults.failPaths || faults.failPaths.test(url.pathname);
    if (faultable && rateLimitFirstLeft > 0) {
      rateLimitFirstLeft -= 1;
      stats.rateLimited += 1;
      const reset = faults.rateLimitResetSeconds ?? 1;
      return send(res, 429, { ...headers(0, reset), ...(options.retryAfterHeader ? { 'Retry-After': String(reset) } : {}) },
        errorBody('Too Many Requests', 'Rate limit exceeded'));
    }
    if (rateWindow.used >= limit) {
      stats.rateLimited += 1;
      return send(res, 429, { ...headers(0), ...(options.retryAfterHeader ? { 'Retry-After': String(resetSeconds) } : {}) },
        errorBody('Too Many Requests', 'Rate limit exceeded'));
    }
    rateWindow.used += 1;
    const okHeaders = headers(limit - rateWindow.used);

    if (faultable) {
      if (failFirstLeft > 0) {
        failFirstLeft -= 1;
        stats.faultsInjected += 1;
        return send(res, 500, okHeaders, errorBody('Internal Server Error', 'Something went wrong'));
      }
      if (faults.errorRate && faultRng.chance(faults.errorRate)) {
        stats.faultsInjected += 1;
        const status = faultRng.pick([500, 502, 503]);
        return send(res, status, okHeaders, errorBody(status === 500 ? 'Internal Server Error' : 'Service Unavailable', 'Try again later'));
      }
      if (faults.stallRate && faultRng.chance(faults.stallRate)) {
        stats.faultsInjected += 1;
        await delay(faults.stallMs ?? 30_000);
        if (res.destroyed) return;
      }
      const malformedFirst = malformedFirstLeft > 0;
      if (malformedFirst) malformedFirstLeft -= 1;
      if (malformedFirst || (faults.malformedRate && faultRng.chance(faults.malformedRate))) {
        stats.faultsInjected += 1;
        res.writeHead(200, { ...okHeaders, 'Content-Type': 'application/json; charset=utf-8' });
        res.end('{"collection": [{"uri": "https://api.calendly.com/scheduled_ev');
        return;
      }
    }

    if (faults.notFoundPaths?.test(url.pathname)) {
      return send(res, 404, okHeaders, errorBody('Resource Not Found', 'The server could not find the requested resource.'));
    }
    const webhookAnswer = webhooks.route(req.method ?? 'GET', url, await readBody(req));
    const answer = webhookAnswer ?? routeRequest(dataset, req.method ?? 'GET', url, baseUrl);
    send(res, answer.status, okHeaders, answer.body);
  };

  const server = http.createServer((req, res) => {
    handle(req, res).catch((error: unknown) => {
      if (!res.headersSent) send(res, 500, {}, errorBody('Internal Server Error', String(error)));
      else res.destroy();
    });
  });
  server.on('connection', (socket) => {
    sockets.add(socket);
    socket.on('close', () => sockets.delete(socket));
  });
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(options.port ?? 0, options.host ?? '127.0.0.1', () => resolve());
  });
  const address = server.address() as AddressInfo;
  baseUrl = `http://${options.host ?? '127.0.0.1'}:${address.port}`;

  return {
    url: baseUrl,
    organizationUri: dataset.organizationUri,
    apiKey,
    dataset,
    webhooks,
    stats,
    resetStats: () => Object.assign(stats, { ...emptyStats(), inFlight: stats.inFlight, maxInFlight: stats.inFlight }),
    close: () => webhooks.close().then(() => new Promise<void>((resolve) => {
      for (const timer of pendingTimers) clearTimeout(timer);
      pendingTimers.clear();
      for (const socket of sockets) socket.destroy();
      server.close(() => resolve());
    })),
  };
}

/** A simulator with an empty organisation, for hand-built scenarios via `dataset.addEvent`/`addInvitee`. */
export function startEmptySimulator(options: Omit<SimulatorOptions, 'events'> = {}): Promise<Simulator> {
  return startSimulator({ ...options, events: 0 });
}

function routeKind(pathname: string): RouteKind {
  if (pathname === '/users/me') return 'me';
  if (pathname === '/scheduled_events') return 'events';
  if (/^\/scheduled_events\/[^/]+\/invitees$/.test(pathname)) return 'invitees';
  if (/^\/scheduled_events\/[^/]+$/.test(pathname)) return 'event';
  return 'other';
}

function emptyStats(): SimulatorStats {
  return {
    requests: 0, inFlight: 0, maxInFlight: 0, rateLimited: 0, faultsInjected: 0,
    byPath: { me: 0, events: 0, event: 0, invitees: 0, other: 0 },
  };
}

export function errorBody(title: string, message: string, details?: CalendlyErrorDetail[]): object {
  return details ? { title, message, details } : { title, message };
}

async function readBody(req: IncomingMessage): Promise<string> {
  const chunks: Buffer[] = [];
  for await (const chunk of req) chunks.push(chunk as Buffer);
  return Buffer.concat(chunks).toString('utf8');
}

function send(res: ServerResponse, status: number, headers: Record<string, string>, body: unknown): void {
  if (res.destroyed) return;
  if (status === 204) {
    res.writeHead(204, headers);
    res.end();
    return;
  }
  const payload = JSON.stringify(body);
  res.writeHead(status, { ...headers, 'Content-Type': 'application/json; charset=utf-8', 'Content-Length': Buffer.byteLength(payload) });
  res.end(payload);
}
