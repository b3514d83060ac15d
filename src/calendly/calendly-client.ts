import { setMaxListeners } from 'node:events';
import http from 'node:http';
import https from 'node:https';
import { setTimeout as sleep } from 'node:timers/promises';
import axios, { type AxiosInstance, type AxiosResponse } from 'axios';
import type { Logger } from 'pino';
import { CalendlyError, type CalendlyFailure } from './calendly.error';
import type {
  CalendlyErrorBody,
  CalendlyInvitee,
  CalendlyPage,
  CalendlyResource,
  CalendlyScheduledEvent,
  CalendlyUser,
  CalendlyWebhookEvent,
  CalendlyWebhookSubscription,
} from './calendly.types';
import { Pacer } from './pacer';
import { paginate, type QueryParams } from './paginate';
import { Semaphore } from './semaphore';

export interface CalendlyClientOptions {
  baseUrl: string;
  apiKey: string;
  rateLimitPerMinute: number;
  /** Requests in flight at once across the whole client. */
  concurrency: number;
  /** Retries after a 5xx, timeout, connection reset or unparsable body. */
  maxRetries: number;
  /** Deadline of one HTTP exchange, from sending the request to the last byte of the body. */
  timeoutMs: number;
  logger?: Logger;
  observer?: CalendlyClientObserver;
  /** Base of the exponential backoff with full jitter; default 500 ms. */
  retryBaseDelayMs?: number;
  /** Upper bound of one backoff delay; default 30 s. */
  retryMaxDelayMs?: number;
  /** Consecutive 429s on one request before giving up; default 10. */
  maxRateLimitWaits?: number;
  /** Longest wait after a 429; default 60 s. */
  maxRateLimitWaitMs?: number;
}

/** Hooks for metrics: one call per HTTP attempt and one per rate-limit pause. */
export interface CalendlyClientObserver {
  /** The attempt's HTTP status, or 'error' when no response was taken (network failure, timeout, oversized body). */
  calendlyRequest(status: number | 'error'): void;
  calendlyRateLimitWait(): void;
}

export interface ListScheduledEventsParams {
  organization: string;
  minStartTime: Date;
  maxStartTime: Date;
}

export interface CreateWebhookSubscriptionParams {
  /** Where Calendly POSTs deliveries. */
  url: string;
  organization: string;
  events: readonly CalendlyWebhookEvent[];
  /** The key Calendly signs deliveries with; write-only, so the caller keeps it. */
  signingKey: string;
}

type HttpMethod = 'GET' | 'POST' | 'DELETE';

export interface CalendlyClientStats {
  /** HTTP requests sent, retries included. */
  requests: number;
  /** Retries after a 5xx, timeout, connection error or unparsable body. */
  retries: number;
  /** Times the client paused for the rate limit (after a 429 or an exhausted X-RateLimit-Remaining). */
  rateLimitWaits: number;
}

const PAGE_SIZE = 100;
// A full page of 100 events or invitees is well under 1 MiB; far more than that is a broken or
// hostile answer, refused before it fills the heap.
export const MAX_RESPONSE_BYTES = 16 * 1024 * 1024;
const RETRYABLE_NETWORK_CODES = new Set([
  'ECONNABORTED', 'ETIMEDOUT', 'ECONNRESET', 'ECONNREFUSED', 'EPIPE', 'EAI_AGAIN', 'ERR_NETWORK',
]);

type Outcome<T> =
  | { kind: 'ok'; value: T }
  | { kind: 'retry'; reason: string; status?: number; errorCode?: string }
  | { kind: 'rate-limited'; waitMs: number };

/** The only place that talks HTTP to Calendly: paced, concurrency-capped, retrying, typed. */
export class CalendlyClient {
  private readonly http: AxiosInstance;
  private readonly pacer: Pacer;
  private readonly semaphore: Semaphore;
  private readonly agents: { http: http.Agent; https: https.Agent };
  private readonly counters: CalendlyClientStats = { requests: 0, retries: 0, rateLimitWaits: 0 };
  private readonly retryBaseDelayMs: number;
  private readonly retryMaxDelayMs: number;
  private readonly maxRateLimitWaits: number;
  private readonly maxRateLimitWaitMs: number;
  // Aborted by close(): ends every request in flight and every wait (pacer hold, backoff).
  private readonly closing = new AbortController();

  constructor(private readonly options: CalendlyClientOptions) {
    this.pacer = new Pacer(options.rateLimitPerMinute);
    this.semaphore = new Semaphore(options.concurrency);
    // Every request, pacer wait and backoff listens on it at once: as many listeners as reads queued.
    setMaxListeners(0, this.closing.signal);
    this.retryBaseDelayMs = options.retryBaseDelayMs ?? 500;
    this.retryMaxDelayMs = options.retryMaxDelayMs ?? 30_000;
    this.maxRateLimitWaits = options.maxRateLimitWaits ?? 10;
    this.maxRateLimitWaitMs = options.maxRateLimitWaitMs ?? 60_000;
    this.agents = {
      http: new http.Agent({ keepAlive: true, maxSockets: options.concurrency }),
      https: new https.Agent({ keepAlive: true, maxSockets: options.concurrency }),
    };
    this.http = axios.create({
      baseURL: options.baseUrl.replace(/\/+$/, ''),
      // No axios `timeout`: it fires only on an idle socket, so a trickling body never ends; each
      // request gets an AbortSignal deadline instead (see attempt()).
      maxContentLength: MAX_RESPONSE_BYTES,
      headers: { Authorization: `Bearer ${options.apiKey}`, Accept: 'application/json' },
      httpAgent: this.agents.http,
      httpsAgent: this.agents.https,
      // Every status is handled below; the body is parsed here so a bad one is a typed error.
      validateStatus: () => true,
      responseType: 'text',
      transformResponse: [(data: unknown) => data],
      maxRedirects: 0,
    });
  }

  /** The token's user; `current_organization` is what `listScheduledEvents` needs. */
  async getCurrentUser(): Promise<CalendlyUser> {
    const body = await this.get<CalendlyResource<CalendlyUser>>('/users/me', {}, isResource);
    return body.resource;
  }

  /** One scheduled event by URI (or uuid). */
  async getScheduledEvent(eventUri: string): Promise<CalendlyScheduledEvent> {
    const body = await this.get<CalendlyResource<CalendlyScheduledEvent>>(`/scheduled_events/${uuidOf(eventUri)}`, {}, isResource);
    return body.resource;
  }

  /** Pages of the organisation's events starting in [minStartTime, maxStartTime], both included (metrics.md §1), canceled ones included. */
  listScheduledEvents(params: ListScheduledEventsParams): AsyncGenerator<CalendlyScheduledEvent[]> {
    return this.paginate<CalendlyScheduledEvent>('/scheduled_events', {
      organization: params.organization,
      min_start_time: params.minStartTime.toISOString(),
      // Calendly's max_start_time is exclusive: one millisecond later, so maxStartTime itself is listed
      max_start_time: new Date(params.maxStartTime.getTime() + 1).toISOString(),
      sort: 'start_time:asc',
    });
  }

  /** Pages of one event's invitees, canceled ones included; takes the event URI or its uuid. */
  listEventInvitees(eventUri: string): AsyncGenerator<CalendlyInvitee[]> {
    return this.paginate<CalendlyInvitee>(`/scheduled_events/${uuidOf(eventUri)}/invitees`, { sort: 'created_at:asc' });
  }

  /** One invitee by URI (`…/scheduled_events/{event}/invitees/{invitee}`): a no-show delivery names only the URI. */
  async getInvitee(inviteeUri: string): Promise<CalendlyInvitee> {
    const match = /\/scheduled_events\/([^/]+)\/invitees\/([^/]+)\/?$/.exec(inviteeUri);
    if (!match) throw new CalendlyError('CALENDLY_BAD_RESPONSE', `not a Calendly invitee URI: ${inviteeUri}`);
    const path = `/scheduled_events/${encodeURIComponent(match[1])}/invitees/${encodeURIComponent(match[2])}`;
    const body = await this.get<CalendlyResource<CalendlyInvitee>>(path, {}, isResource);
    return body.resource;
  }

  /** Creates an organisation-scope webhook subscription (Standard plan or higher). */
  async createWebhookSubscription(params: CreateWebhookSubscriptionParams): Promise<CalendlyWebhookSubscription> {
    const body = await this.webhooksCall(() => this.send<CalendlyResource<CalendlyWebhookSubscription>>('POST', '/webhook_subscriptions', {}, {
      url: params.url, events: params.events, organization: params.organization, scope: 'organization', signing_key: params.signingKey,
    }, isResource));
    return body.resource;
  }

  /** The organisation-scope webhook subscriptions of `organization`, every page. */
  async listWebhookSubscriptions(organization: string): Promise<CalendlyWebhookSubscription[]> {
    const all: CalendlyWebhookSubscription[] = [];
    await this.webhooksCall(async () => {
      for await (const page of this.paginate<CalendlyWebhookSubscription>('/webhook_subscriptions', { organization, scope: 'organization' })) {
        all.push(...page);
      }
    });
    return all;
  }

  /** Deletes a webhook subscription by URI (or uuid). */
  async deleteWebhookSubscription(subscriptionUri: string): Promise<void> {
    await this.webhooksCall(() => this.send('DELETE', `/webhook_subscriptions/${uuidOf(subscriptionUri)}`, {}, undefined, () => true));
  }

  /** Generic page walker over any Calendly collection endpoint. */
  paginate<T>(path: string, params: QueryParams): AsyncGenerator<T[]> {
    const fetchPage = <P>(pagePath: string, pageParams: QueryParams) =>
      this.get<CalendlyPage<P>>(pagePath, { count: PAGE_SIZE, ...pageParams }, isPage);
    return paginate<T>(fetchPage, path, params);
  }

  // Calendly answers 403 to webhook calls on a plan without webhooks (or a token without the
  // organisation's admin role): one line that says so, instead of the generic permission hint.
  private async webhooksCall<T>(call: () => Promise<T>): Promise<T> {
    try {
      return await call();
    } catch (error) {
      if (error instanceof CalendlyError && error.failure?.status === 403) {
        throw new CalendlyError('CALENDLY_WEBHOOKS_UNAVAILABLE',
          'Calendly refused webhook subscriptions (HTTP 403): they need a Standard plan or higher, and an admin or owner token for organization scope',
          error.failure);
      }
      throw error;
    }
  }

  stats(): CalendlyClientStats {
    return { ...this.counters };
  }

  /** Aborts every request and wait in flight (they reject with CALENDLY_ABORTED) and closes the sockets. */
  close(): void {
    this.closing.abort();
    this.agents.http.destroy();
    this.agents.https.destroy();
  }

  private get<T>(path: string, params: QueryParams, isExpected: (body: unknown) => boolean): Promise<T> {
    return this.send<T>('GET', path, params, undefined, isExpected);
  }

  private async send<T>(method: HttpMethod, path: string, params: QueryParams, data: unknown, isExpected: (body: unknown) => boolean): Promise<T> {
    let retries = 0;
    let rateLimitWaits = 0;
    // A POST that failed may still have been carried out: resending it could create a second subscription.
    const maxRetries = method === 'POST' ? 0 : this.options.maxRetries;
    for (;;) {
      const outcome = await this.semaphore.run(() => this.attempt<T>(method, path, params, data, isExpected, retries));
      if (outcome.kind === 'ok') return outcome.value;

      if (outcome.kind === 'rate-limited') {
        rateLimitWaits += 1;
        if (rateLimitWaits > this.maxRateLimitWaits) {
          throw new CalendlyError('CALENDLY_RATE_LIMITED',
            `${method} ${path} still rate limited after ${this.maxRateLimitWaits} waits: HTTP 429`,
            { method, path, status: 429, attempts: retries + rateLimitWaits });
        }
        // Held in the pacer, so every other request of this client waits too.
        this.notePause();
        this.log('calendly rate limited, waiting', { path, status: 429, attempt: rateLimitWaits, waitMs: outcome.waitMs });
        this.pacer.holdUntil(Date.now() + outcome.waitMs);
        continue;
      }

      rateLimitWaits = 0;
      if (retries >= maxRetries) {
        const failure: CalendlyFailure = { method, path, status: outcome.status, errorCode: outcome.errorCode, attempts: retries + 1 };
        if (outcome.reason === 'unparsable body') {
          throw new CalendlyError('CALENDLY_BAD_RESPONSE',
            `${method} ${path} returned a body that is not JSON after ${retries} retries`, failure);
        }
        throw new CalendlyError('CALENDLY_UNAVAILABLE', `${method} ${path} failed after ${retries} retries: ${outcome.reason}`, failure);
      }
      retries += 1;
      this.counters.retries += 1;
      const waitMs = this.backoffMs(retries);
      this.log('calendly request failed, retrying', {
        path, status: outcome.status, errorCode: outcome.errorCode, reason: outcome.reason, attempt: retries, waitMs,
      });
      await this.unlessClosed(sleep(waitMs, undefined, { signal: this.closing.signal }), path, retries);
    }
  }

  /** One HTTP exchange inside a concurrency slot; decides what happens next, never throws a raw axios error. */
  private async attempt<T>(
    method: HttpMethod, path: string, params: QueryParams, data: unknown, isExpected: (body: unknown) => boolean, retries: number,
  ): Promise<Outcome<T>> {
    await this.unlessClosed(this.pacer.take(this.closing.signal), path, retries);
    this.counters.requests += 1;
    const deadline = AbortSignal.timeout(this.options.timeoutMs);
    let response: AxiosResponse<string>;
    try {
      response = await this.http.request<string>({
        method, url: path, params, data, signal: AbortSignal.any([this.closing.signal, deadline]),
      });
    } catch (error) {
      this.options.observer?.calendlyRequest('error');
      // Whatever the socket did after close() (aborted, reset by the destroyed agent), close() ended it.
      if (this.closing.signal.aborted) throw this.abortedError(path, retries + 1);
      // Reported with axios's own timeout code, as before the deadline replaced its idle timeout.
      if (deadline.aborted) return { kind: 'retry', reason: `timeout after ${this.options.timeoutMs} ms (ECONNABORTED)`, errorCode: 'ECONNABORTED' };
      if (isOversized(error)) {
        throw new CalendlyError('CALENDLY_BAD_RESPONSE', `${method} ${path} answered more than ${MAX_RESPONSE_BYTES} bytes`,
          { method, path, attempts: retries + 1 });
      }
      const errorCode = networkErrorCode(error);
      if (errorCode && RETRYABLE_NETWORK_CODES.has(errorCode)) {
        return { kind: 'retry', reason: errorCode === 'ECONNABORTED' || errorCode === 'ETIMEDOUT' ? `timeout (${errorCode})` : errorCode, errorCode };
      }
      throw new CalendlyError('CALENDLY_UNAVAILABLE', `${method} ${path} failed: ${errorCode ?? 'network error'}`,
        { method, path, errorCode, attempts: retries + 1 });
    }

    const { status } = response;
    this.options.observer?.calendlyRequest(status);
    this.noteRemaining(response, path);
    if (status === 429) return { kind: 'rate-limited', waitMs: this.rateLimitWaitMs(response) };
    if (status >= 500) return { kind: 'retry', reason: `HTTP ${status}`, status };
    if (status === 401 || status === 403) {
      const body = parseJson(response.data) as Partial<CalendlyErrorBody> | undefined;
      const hint = status === 401
        ? 'check CALENDLY_API_KEY (token invalid or expired)'
        : 'check CALENDLY_API_KEY: the token lacks permission (organization scope needs an admin or owner token)';
      throw new CalendlyError('CALENDLY_UNAUTHORIZED', `${method} ${path} was refused with HTTP ${status}: ${hint}`,
        { method, path, status, attempts: retries + 1, ...apiFields(body) });
    }
    // DELETE answers 204 with no body.
    if (status === 204) return { kind: 'ok', value: undefined as T };

    const body = parseJson(response.data);
    if (status < 200 || status >= 300) {
      const api = apiFields(body as Partial<CalendlyErrorBody> | undefined);
      const detail = api.apiTitle ? `: ${api.apiTitle}${api.apiMessage ? ` (${api.apiMessage})` : ''}` : '';
      throw new CalendlyError('CALENDLY_BAD_RESPONSE', `${method} ${path} answered HTTP ${status}${detail}`,
        { method, path, status, attempts: retries + 1, ...api });
    }
    // A truncated body is usually a transient proxy or network problem: retry it like a 5xx.
    if (body === undefined) return { kind: 'retry', reason: 'unparsable body', status };
    if (!isExpected(body)) {
      throw new CalendlyError('CALENDLY_BAD_RESPONSE', `${method} ${path} returned JSON without the expected envelope`,
        { method, path, status, attempts: retries + 1 });
    }
    return { kind: 'ok', value: body as T };
  }

  /** When the window is used up, pause before the server has to answer 429. */
  private noteRemaining(response: AxiosResponse, path: string): void {
    if (response.status === 429) return;
    const remaining = numberHeader(response.headers['x-ratelimit-remaining']);
    const resetSeconds = numberHeader(response.headers['x-ratelimit-reset']);
    if (remaining !== 0 || resetSeconds === undefined || resetSeconds <= 0) return;
    const waitMs = Math.min(resetSeconds * 1000, this.maxRateLimitWaitMs);
    this.notePause();
    this.log('calendly rate limit window used up, pausing', { path, status: response.status, attempt: 0, waitMs });
    this.pacer.holdUntil(Date.now() + waitMs);
  }

  /** A wait (pacer hold, backoff) that close() ends with CALENDLY_ABORTED. */
  private async unlessClosed(wait: Promise<unknown>, path: string, attempts: number): Promise<void> {
    try {
      await wait;
    } catch (error) {
      if (this.closing.signal.aborted) throw this.abortedError(path, attempts);
      throw error;
    }
  }

  private abortedError(path: string, attempts: number): CalendlyError {
    return new CalendlyError('CALENDLY_ABORTED', `GET ${path} aborted: the Calendly client was closed`, { method: 'GET', path, attempts });
  }

  private notePause(): void {
    this.counters.rateLimitWaits += 1;
    this.options.observer?.calendlyRateLimitWait();
  }

  private rateLimitWaitMs(response: AxiosResponse): number {
    const retryAfter = response.headers['retry-after'];
    let waitMs = retryAfterMs(retryAfter);
    if (waitMs === undefined) {
      const reset = numberHeader(response.headers['x-ratelimit-reset']);
      if (reset !== undefined) waitMs = reset * 1000;
    }
    return Math.min(Math.max(waitMs ?? this.maxRateLimitWaitMs, 0), this.maxRateLimitWaitMs);
  }

  private backoffMs(retry: number): number {
    const ceiling = Math.min(this.retryMaxDelayMs, this.retryBaseDelayMs * 2 ** (retry - 1));
    return Math.round(Math.random() * ceiling);
  }

  private log(message: string, fields: Record<string, unknown>): void {
    this.options.logger?.warn({ component: 'calendly-client', ...fields }, message);
  }
}

/** The uuid of a Calendly resource: the last path segment of its URI (a bare uuid is returned as is). */
export function uuidOf(uriOrUuid: string): string {
  const trimmed = uriOrUuid.replace(/\/+$/, '');
  const segment = trimmed.slice(trimmed.lastIndexOf('/') + 1);
  if (!segment) throw new CalendlyError('CALENDLY_BAD_RESPONSE', `not a Calendly resource URI: ${uriOrUuid}`);
  return encodeURIComponent(segment);
}

function isResource(body: unknown): boolean {
  return isObject(body) && isObject(body.resource);
}

function isPage(body: unknown): boolean {
  if (!isObject(body) || !Array.isArray(body.collection) || !isObject(body.pagination)) return false;
  const { next_page_token: token, next_page: next } = body.pagination;
  return isNullableString(token) && isNullableString(next);
}

function isObject(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

function isNullableString(value: unknown): boolean {
  return value === undefined || value === null || typeof value === 'string';
}

function parseJson(data: unknown): unknown {
  if (typeof data !== 'string') return data ?? undefined;
  try {
    return JSON.parse(data);
  } catch {
    return undefined;
  }
}

function apiFields(body: Partial<CalendlyErrorBody> | undefined): { apiTitle?: string; apiMessage?: string } {
  if (!isObject(body)) return {};
  return {
    apiTitle: typeof body.title === 'string' ? body.title.slice(0, 200) : undefined,
    apiMessage: typeof body.message === 'string' ? body.message.slice(0, 500) : undefined,
  };
}

function networkErrorCode(error: unknown): string | undefined {
  if (!isObject(error)) return undefined;
  const code = error.code;
  if (typeof code === 'string') return code;
  return typeof error.message === 'string' && /socket hang up/i.test(error.message) ? 'ECONNRESET' : undefined;
}

// axios gives a body over maxContentLength no code of its own, only this message.
function isOversized(error: unknown): boolean {
  return isObject(error) && error.code === 'ERR_BAD_RESPONSE' && typeof error.message === 'string' && error.message.includes('maxContentLength');
}

function numberHeader(value: unknown): number | undefined {
  if (typeof value !== 'string' && typeof value !== 'number') return undefined;
  const parsed = Number(value);
  return Number.isFinite(parsed) ? parsed : undefined;
}

function retryAfterMs(value: unknown): number | undefined {
  const seconds = numberHeader(value);
  if (seconds !== undefined) return seconds * 1000;
  if (typeof value !== 'string') return undefined;
  const at = Date.parse(value);
  return Number.isNaN(at) ? undefined : at - Date.now();
}
