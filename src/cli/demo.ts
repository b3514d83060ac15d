import { randomBytes } from 'node:crypto';
import { CALENDLY_WEBHOOK_EVENTS } from '../calendly/calendly.types';
import { configuredCalendlyClient } from '../calendly/configured-client';
import type { Config } from '../config/config';
import type { Database } from '../db/data-source';
import { startApp, type App } from '../server/start-app';
import { onShutdownSignal } from '../server/shutdown-signal';
import { CustomerService } from '../services/customer.service';
import { OrganisationActivity } from '../simulator/organisation-activity';
import { startSimulator, type Simulator } from '../simulator/simulator.server';
import { bootstrap, runCommand, type Service } from './bootstrap';

// A mid-sized organisation: enough for every alert type to show up, synced in seconds.
const DEMO_SEED = 42;
const DEMO_EVENTS = 2000;
// Often enough to watch figures and alerts move, rare enough to read them in between.
const ACTIVITY_EVERY_MS = 5000;

function curl(app: App, config: Config, query: string): string {
  const auth = config.apiToken ? ` -H 'authorization: Bearer ${'$'}API_TOKEN'` : '';
  return `curl -s ${app.url} -H 'content-type: application/json'${auth} -d '${JSON.stringify({ query })}'`;
}

async function printWelcome(app: App, config: Config, db: Database): Promise<void> {
  // A customer with several bookings makes the single-customer example worth reading.
  const busiest = await new CustomerService(db.dataSource)
    .list({ orderBy: { field: 'TOTAL_CALLS_BOOKED', direction: 'DESC' }, first: 1 });
  const email = busiest.nodes[0]?.email ?? 'someone@example.com';
  const lines = [
    '',
    `calendly-sync demo: GraphQL at ${app.url} (open it in a browser for Apollo Sandbox)`,
    '',
    'Customers with a show rate under 50%, worst first:',
    curl(app, config, '{ customers(filter: { showRateMax: 50 }, orderBy: { field: SHOW_RATE, direction: ASC }, first: 5) '
      + '{ totalCount nodes { email showRate callsNoShow currentNoShowStreak alerts { alertType } } pageInfo { endCursor } } }'),
    '',
    'One customer with every metric:',
    curl(app, config, `{ customer(email: "${email}") { email totalCallsBooked callsCompleted callsNoShow callsCanceled `
      + 'callsUpcoming showRate lastCallDate nextCallDate assignedAm calendlyHealthPoints scoreFactors { factor points } } }'),
    '',
    'Open alerts and the latest runs:',
    curl(app, config, '{ alerts(first: 5) { totalCount nodes { customerEmail alertType details openedAt } } '
      + 'syncRuns(first: 3) { id status trigger eventsProcessed customersUpdated avgShowRate finishedAt } }'),
    '',
    'Start another sync:',
    curl(app, config, 'mutation { triggerSync(input: { lookbackDays: 30 }) { id status } }'),
    '',
    `The simulated organisation stays alive: every ${ACTIVITY_EVERY_MS / 1000} s a booking, a cancellation or a no-show`,
    'reaches the service as a signed webhook delivery, and a refresh run (trigger webhook) follows within',
    `${config.webhookRefreshDelayMs} ms. Watch the latest runs:`,
    curl(app, config, '{ syncRuns(first: 5) { id trigger fetchMode status customersUpdated noShowsDetected finishedAt } }'),
    '',
    'Ctrl-C stops the demo (its database lives in memory and is gone afterwards).',
    '',
  ];
  process.stdout.write(`${lines.join('\n')}\n`);
}

/** Subscribes the service to the simulator's webhooks, then changes the organisation every few seconds. */
async function keepOrganisationAlive(app: App, config: Config, simulator: Simulator): Promise<NodeJS.Timeout> {
  const client = configuredCalendlyClient(config);
  try {
    await client.createWebhookSubscription({
      url: `${app.origin}/webhooks/calendly`, organization: simulator.organizationUri, events: CALENDLY_WEBHOOK_EVENTS,
      signingKey: config.calendlyWebhookSigningKey as string,
    });
  } finally {
    client.close();
  }
  const changes = new OrganisationActivity(simulator.dataset, simulator.webhooks, DEMO_SEED);
  // Existing customers, so their figures move, not only new rows.
  const emails = [...new Set(simulator.dataset.allInvitees().map((i) => i.email).filter((e): e is string => typeof e === 'string'))].slice(0, 200);
  return setInterval(() => changes.step(emails), ACTIVITY_EVERY_MS);
}

/**
 * npm run demo: the built-in Calendly simulator, an in-memory embedded database (never
 * DATA_DIR or DATABASE_URL, so a real database is never touched), a first sync, then the API,
 * with the simulator subscribed to the service's webhooks and its organisation kept changing.
 */
runCommand(async () => {
  let simulator: Simulator | undefined;
  let service: Service | undefined;
  let app: App | undefined;
  let activity: NodeJS.Timeout | undefined;
  let stopping = false;
  const closeAll = async () => {
    stopping = true;
    clearInterval(activity);
    await app?.close();
    await service?.db.close();
    await simulator?.close();
  };

  try {
    service = await bootstrap({
      inMemoryDatabase: true,
      configure: async (config) => {
        simulator = await startSimulator({ seed: DEMO_SEED, events: DEMO_EVENTS, latencyMs: 0 });
        return Object.freeze({
          ...config,
          calendlyBaseUrl: simulator.url,
          calendlyApiKey: simulator.apiKey,
          calendlyOrganizationUri: simulator.organizationUri,
          // The simulator enforces no limit; pacing at Calendly's 500/min would make the first sync take minutes.
          calendlyRateLimitPerMinute: Math.max(config.calendlyRateLimitPerMinute, 100_000),
          calendlyConcurrency: Math.max(config.calendlyConcurrency, 16),
          // The demo subscribes itself, so it holds the key the simulator signs with.
          calendlyWebhookSigningKey: randomBytes(32).toString('base64url'),
        });
      },
    });
    const { config, logger, db } = service;
    onShutdownSignal(logger, closeAll);
    app = await startApp({ config, db, logger });

    const first = await app.coordinator.start({ trigger: 'demo' });
    const run = await first.finished;
    if (run.status !== 'succeeded') throw new Error(`the first sync failed: ${run.error ?? 'unknown error'}`);
    activity = await keepOrganisationAlive(app, config, simulator as Simulator);
    await printWelcome(app, config, db);
  } catch (error) {
    // Ctrl-C during the first sync aborts it: the signal handler is already closing and exiting.
    if (stopping) return undefined;
    await closeAll().catch(() => undefined);
    throw error;
  }
  return undefined;
});
