import type { Config } from '../config/config';
import type { Database } from '../db/data-source';
import { startApp, type App } from '../server/start-app';
import { onShutdownSignal } from '../server/shutdown-signal';
import { CustomerService } from '../services/customer.service';
import { startSimulator, type Simulator } from '../simulator/simulator.server';
import { bootstrap, runCommand, type Service } from './bootstrap';

// A mid-sized organisation: enough for every alert type to show up, synced in seconds.
const DEMO_SEED = 42;
const DEMO_EVENTS = 2000;

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
    'Ctrl-C stops the demo (its database lives in memory and is gone afterwards).',
    '',
  ];
  process.stdout.write(`${lines.join('\n')}\n`);
}

/**
 * npm run demo: the built-in Calendly simulator, an in-memory embedded database (never
 * DATA_DIR or DATABASE_URL, so a real database is never touched), a first sync, then the API.
 */
runCommand(async () => {
  let simulator: Simulator | undefined;
  let service: Service | undefined;
  let app: App | undefined;
  let stopping = false;
  const closeAll = async () => {
    stopping = true;
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
        });
      },
    });
    const { config, logger, db } = service;
    onShutdownSignal(logger, closeAll);
    app = await startApp({ config, db, logger });

    const first = await app.coordinator.start({ trigger: 'demo' });
    const run = await first.finished;
    if (run.status !== 'succeeded') throw new Error(`the first sync failed: ${run.error ?? 'unknown error'}`);
    await printWelcome(app, config, db);
  } catch (error) {
    // Ctrl-C during the first sync aborts it: the signal handler is already closing and exiting.
    if (stopping) return undefined;
    await closeAll().catch(() => undefined);
    throw error;
  }
  return undefined;
});
