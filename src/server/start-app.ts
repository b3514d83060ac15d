import http, { type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { ApolloServer, HeaderMap } from '@apollo/server';
import { ApolloServerPluginCacheControlDisabled } from '@apollo/server/plugin/disabled';
import { ApolloServerPluginDrainHttpServer } from '@apollo/server/plugin/drainHttpServer';
import { assertServerConfig, type Config } from '../config/config';
import type { Database } from '../db/data-source';
import { createFormatError } from '../errors/format-graphql-error';
import type { Logger } from '../logging/logger';
import { Scheduler } from '../scheduler/scheduler';
import { createSyncTask } from '../scheduler/sync.task';
import { AlertService } from '../services/alert.service';
import { CustomerService } from '../services/customer.service';
import { SyncRunService } from '../services/sync-run.service';
import { SyncCoordinator } from '../sync/sync-coordinator';
import { hasValidBearerToken } from './auth';
import { buildAppSchema } from './build-schema';
import { complexityPlugin } from './complexity.plugin';
import { createContext, type AppContext } from './context';
import { depthLimitRule } from './depth-limit.rule';
import { checkReadiness } from './readiness';

/** Deepest selection nesting a query may have (the deepest useful query is about 4). */
export const MAX_QUERY_DEPTH = 8;
/** Estimated cost cap: a full page of 500 customers with their alerts fits, ten of them do not. */
export const MAX_QUERY_COMPLEXITY = 25_000;
const MAX_BODY_BYTES = 1_000_000;

export interface StartAppOptions {
  config: Config;
  db: Database;
  logger: Logger;
  /** Overrides the configured Calendly endpoint and key (demo, tests). */
  calendly?: { baseUrl: string; apiKey: string };
  /** Register the scheduled sync (default true; `SYNC_CRON=off` registers nothing anyway). */
  schedule?: boolean;
}

export interface App {
  /** The GraphQL endpoint, e.g. `http://127.0.0.1:4000/graphql`. */
  url: string;
  /** Scheme, host and port, for /healthz and /readyz. */
  origin: string;
  coordinator: SyncCoordinator;
  scheduler: Scheduler;
  /** Stops accepting requests, stops the scheduler and lets (or makes) the running sync end. The caller closes the database. */
  close(): Promise<void>;
}

class HttpError extends Error {
  constructor(readonly status: number, readonly code: string, message: string) {
    super(message);
  }
}

function sendJson(res: ServerResponse, status: number, body: unknown, headers: Record<string, string> = {}): void {
  res.writeHead(status, { 'content-type': 'application/json; charset=utf-8', ...headers });
  res.end(JSON.stringify(body));
}

function sendGraphQLError(res: ServerResponse, error: HttpError, headers: Record<string, string> = {}): void {
  sendJson(res, error.status, { errors: [{ message: error.message, extensions: { code: error.code } }] }, headers);
}

async function readBody(req: IncomingMessage): Promise<string> {
  const chunks: Buffer[] = [];
  let size = 0;
  for await (const chunk of req) {
    size += (chunk as Buffer).length;
    if (size > MAX_BODY_BYTES) throw new HttpError(413, 'PAYLOAD_TOO_LARGE', `Request body is larger than ${MAX_BODY_BYTES} bytes`);
    chunks.push(chunk as Buffer);
  }
  return Buffer.concat(chunks).toString('utf8');
}

async function parseBody(req: IncomingMessage): Promise<unknown> {
  if (req.method !== 'POST') return undefined;
  const text = await readBody(req);
  if (!/json/i.test(req.headers['content-type'] ?? '')) return text;
  try {
    return JSON.parse(text) as unknown;
  } catch {
    throw new HttpError(400, 'BAD_REQUEST', 'Request body is not valid JSON');
  }
}

// The Apollo Sandbox landing page runs on another origin; bearer tokens (not cookies) carry auth.
const CORS_HEADERS = {
  'access-control-allow-origin': '*',
  'access-control-allow-methods': 'GET, POST, OPTIONS',
  'access-control-allow-headers': 'authorization, content-type, apollo-require-preflight, x-apollo-operation-name',
  'access-control-max-age': '600',
};

function displayHost(address: AddressInfo): string {
  if (address.address === '0.0.0.0' || address.address === '::') return 'localhost';
  return address.family === 'IPv6' ? `[${address.address}]` : address.address;
}

/**
 * Starts the HTTP server (`/graphql`, `/healthz`, `/readyz`) and the scheduler on an open,
 * migrated database. Runs left `running` by a dead process are marked failed first.
 */
export async function startApp(options: StartAppOptions): Promise<App> {
  const { config, db, logger } = options;
  assertServerConfig(config);

  const coordinator = new SyncCoordinator({ db, config, logger, calendly: options.calendly });
  await coordinator.recoverStaleRuns();

  const alerts = new AlertService(db.dataSource);
  const schema = await buildAppSchema({
    customers: new CustomerService(db.dataSource),
    alerts,
    syncRuns: new SyncRunService(db.dataSource, coordinator),
  });

  const httpServer = http.createServer();
  const apollo = new ApolloServer<AppContext>({
    schema,
    formatError: createFormatError(logger),
    includeStacktraceInErrorResponses: false,
    // main.ts and demo.ts own SIGTERM/SIGINT; Apollo's own handler would stop it early and re-raise the signal.
    stopOnTerminationSignals: false,
    validationRules: [depthLimitRule(MAX_QUERY_DEPTH)],
    // No type or field declares a cache hint, so the default cache-control plugin could only ever
    // answer `no-store`, after a hook on every resolved field; the header is set below instead.
    plugins: [ApolloServerPluginDrainHttpServer({ httpServer }), ApolloServerPluginCacheControlDisabled(),
      complexityPlugin(schema, MAX_QUERY_COMPLEXITY)],
  });
  await apollo.start();

  const handleGraphQL = async (req: IncomingMessage, res: ServerResponse, url: URL): Promise<void> => {
    for (const [name, value] of Object.entries(CORS_HEADERS)) res.setHeader(name, value);
    if (req.method === 'OPTIONS') {
      res.writeHead(204).end();
      return;
    }
    if (config.apiToken && !hasValidBearerToken(req.headers, config.apiToken)) {
      sendGraphQLError(res, new HttpError(401, 'UNAUTHENTICATED', 'Missing or invalid API token'),
        { 'www-authenticate': 'Bearer realm="calendly-sync"' });
      return;
    }
    const headers = new HeaderMap();
    for (const [name, value] of Object.entries(req.headers)) {
      if (value !== undefined) headers.set(name, Array.isArray(value) ? value.join(', ') : value);
    }
    const response = await apollo.executeHTTPGraphQLRequest({
      httpGraphQLRequest: { method: (req.method ?? 'GET').toUpperCase(), headers, search: url.search, body: await parseBody(req) },
      context: async () => createContext(alerts),
    });
    for (const [name, value] of response.headers) res.setHeader(name, value);
    if (!response.headers.has('cache-control')) res.setHeader('cache-control', 'no-store');
    res.statusCode = response.status ?? 200;
    if (response.body.kind === 'complete') {
      res.end(response.body.string);
      return;
    }
    for await (const chunk of response.body.asyncIterator) res.write(chunk);
    res.end();
  };

  httpServer.on('request', (req: IncomingMessage, res: ServerResponse) => {
    const url = new URL(req.url ?? '/', 'http://localhost');
    const handled = (async () => {
      switch (url.pathname) {
        case '/healthz':
          return sendJson(res, 200, { status: 'ok' });
        case '/readyz': {
          const readiness = await checkReadiness(db);
          return sendJson(res, readiness.ready ? 200 : 503, readiness);
        }
        case '/graphql':
          return handleGraphQL(req, res, url);
        default:
          return sendJson(res, 404, { error: 'not found' });
      }
    })();
    handled.catch((error: unknown) => {
      if (error instanceof HttpError) {
        if (!res.headersSent) sendGraphQLError(res, error);
        return;
      }
      logger.error({ err: error, path: url.pathname }, 'HTTP request failed');
      if (!res.headersSent) sendGraphQLError(res, new HttpError(500, 'INTERNAL_SERVER_ERROR', 'Internal server error'));
      else res.destroy();
    });
  });

  await new Promise<void>((resolve, reject) => {
    httpServer.once('error', reject);
    httpServer.listen(config.port, config.host, () => {
      httpServer.off('error', reject);
      resolve();
    });
  });
  const address = httpServer.address() as AddressInfo;
  const origin = `http://${displayHost(address)}:${address.port}`;

  const scheduler = new Scheduler(logger);
  const syncTask = options.schedule === false ? undefined : createSyncTask({ config, coordinator, logger });
  if (syncTask) scheduler.register(syncTask);

  logger.info({ url: `${origin}/graphql`, auth: config.apiToken ? 'bearer token' : 'none (loopback only)',
    scheduledTasks: scheduler.taskIds }, 'GraphQL server listening');

  let closing: Promise<void> | undefined;
  return {
    url: `${origin}/graphql`,
    origin,
    coordinator,
    scheduler,
    close() {
      closing ??= (async () => {
        scheduler.stop();
        // Drains the HTTP server: no new connections, in-flight requests get to finish.
        await apollo.stop();
        await coordinator.shutdown(config.shutdownTimeoutMs);
        await scheduler.idle();
        logger.info('GraphQL server stopped');
      })();
      return closing;
    },
  };
}
