import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { ApolloServer } from '@apollo/server';
import { ApolloServerPluginCacheControlDisabled } from '@apollo/server/plugin/disabled';
import { ApolloServerPluginDrainHttpServer } from '@apollo/server/plugin/drainHttpServer';
import { expressMiddleware } from '@as-integrations/express5';
import cors from 'cors';
import express from 'express';
import { createContext, type AppContext } from '../../resolvers';
import { assertServerConfig, type Config } from '../config/config';
import type { Database } from '../db/data-source';
import type { Logger } from '../logging/logger';
import { ServiceMetrics } from '../metrics/service-metrics';
import { Scheduler } from '../scheduler/scheduler';
import { createSyncTask } from '../scheduler/sync.task';
import { AlertService } from '../services/alert.service';
import { CustomerService } from '../services/customer.service';
import { SyncRunService } from '../services/sync-run.service';
import { SyncCoordinator } from '../sync/sync-coordinator';
import { createCalendlyWebhooks } from '../webhooks/calendly-webhooks';
import type { WebhookRefresher } from '../webhooks/webhook-refresher';
import { requireBearerToken } from './auth';
import { buildAppSchema } from './build-schema';
import { calendlyWebhookRoute } from './calendly-webhook.route';
import { complexityPlugin } from './complexity.plugin';
import { createFormatError } from './format-graphql-error';
import { graphqlMetricsPlugin } from './graphql-metrics.plugin';
import { loopbackHostOnly } from './host.guard';
import { httpErrorHandler } from './http-error';
import { listedOriginsOnly } from './origin.guard';
import { checkReadiness } from './readiness';

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
  /** The refresh after webhook deliveries; undefined without CALENDLY_WEBHOOK_SIGNING_KEY. */
  webhooks: WebhookRefresher | undefined;
  /** Stops accepting requests, stops the scheduler and lets (or makes) the running sync end. The caller closes the database. */
  close(): Promise<void>;
}

function displayHost(address: AddressInfo): string {
  if (address.address === '0.0.0.0' || address.address === '::') return 'localhost';
  return address.family === 'IPv6' ? `[${address.address}]` : address.address;
}

/**
 * Starts the HTTP server (`/graphql`, `/healthz`, `/readyz`, `/metrics`) and the scheduler on an open,
 * migrated database. Runs left `running` by a dead process are marked failed first.
 */
export async function startApp(options: StartAppOptions): Promise<App> {
  const { config, db, logger } = options;
  assertServerConfig(config);

  const metrics = new ServiceMetrics(db.dataSource);
  const coordinator = new SyncCoordinator({ db, config, logger, calendly: options.calendly, calendlyObserver: metrics });
  await coordinator.recoverStaleRuns();
  const webhooks = createCalendlyWebhooks({ config, db, logger, runs: coordinator, metrics, calendly: options.calendly });

  const alerts = new AlertService(db.dataSource);
  const schema = await buildAppSchema({
    customers: new CustomerService(db.dataSource),
    alerts,
    syncRuns: new SyncRunService(db.dataSource, coordinator),
  });

  const app = express();
  const httpServer = http.createServer(app);
  const apollo = new ApolloServer<AppContext>({
    schema,
    formatError: createFormatError(logger),
    includeStacktraceInErrorResponses: false,
    // main.ts and demo.ts own SIGTERM/SIGINT; Apollo's own handler would stop it early and re-raise the signal.
    stopOnTerminationSignals: false,
    // No type or field declares a cache hint, so the default cache-control plugin could only ever
    // answer `no-store`, after a hook on every resolved field; the header is set below instead.
    plugins: [ApolloServerPluginDrainHttpServer({ httpServer }), ApolloServerPluginCacheControlDisabled(),
      complexityPlugin(schema, MAX_QUERY_COMPLEXITY), graphqlMetricsPlugin(metrics)],
  });
  await apollo.start();

  app.disable('x-powered-by');
  app.set('etag', false);
  app.use((_req, res, next) => {
    res.setHeader('cache-control', 'no-store');
    next();
  });
  if (!config.apiToken) app.use(loopbackHostOnly());
  app.get('/healthz', (_req, res) => {
    res.json({ status: 'ok' });
  });
  app.get('/readyz', async (_req, res) => {
    const readiness = await checkReadiness(db);
    res.status(readiness.ready ? 200 : 503).json(readiness);
  });
  app.get('/metrics', requireBearerToken(config.apiToken), async (_req, res) => {
    res.type(metrics.contentType).send(await metrics.render());
  });
  app.all('/graphql',
    listedOriginsOnly(config.corsOrigins),
    // Only listed origins are echoed in access-control-allow-origin, never `*`; the preflight
    // needs no token, so a listed browser app can learn it may send one.
    cors({ origin: [...config.corsOrigins], methods: ['GET', 'POST'], maxAge: 600,
      allowedHeaders: ['authorization', 'content-type', 'apollo-require-preflight', 'x-apollo-operation-name'] }),
    requireBearerToken(config.apiToken),
    // body-parser reads an oversized body to its end before answering 413, so a keep-alive
    // connection stays in step for the client's next request.
    express.json({ limit: MAX_BODY_BYTES }),
    expressMiddleware(apollo, { context: async () => createContext(alerts) }));
  // Before any JSON parser (it reads the raw body) and outside API_TOKEN (the signature is its
  // authentication); without a signing key it is not mounted, so it answers 404 like any unknown path.
  if (webhooks) app.post('/webhooks/calendly', ...calendlyWebhookRoute(webhooks.receiver));
  app.use((_req, res) => {
    res.status(404).json({ error: 'not found' });
  });
  app.use(httpErrorHandler(logger));

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

  logger.info({ url: `${origin}/graphql`, auth: config.apiToken ? 'bearer token' : 'none (loopback only)', corsOrigins: config.corsOrigins,
    scheduledTasks: scheduler.taskIds }, 'GraphQL server listening');

  let closing: Promise<void> | undefined;
  return {
    url: `${origin}/graphql`,
    origin,
    coordinator,
    scheduler,
    webhooks: webhooks?.refresher,
    close() {
      closing ??= (async () => {
        scheduler.stop();
        webhooks?.refresher.close();
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
