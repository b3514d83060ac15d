import { setTimeout as sleep } from 'node:timers/promises';
import pino from 'pino';
import { CALENDLY_WEBHOOK_EVENTS } from '../src/calendly/calendly.types';
import { signWebhookBody, SIGNATURE_HEADER } from '../src/calendly/webhook-signature';
import { loadConfig } from '../src/config/config';
import { startApp } from '../src/server/start-app';
import { DAY_MS } from '../src/simulator/calendly-time';
import { OrganisationActivity } from '../src/simulator/organisation-activity';
import { startSimulator } from '../src/simulator/simulator.server';
import { percentile, type BenchReport } from './bench-result';
import { createBenchDatabase, dropBenchDatabase, openMigrated } from './bench-db';

const STAGE = 'freshness';
const EVENTS = 10_000;
const CHANGES = 200;
// A change every 250 ms: several land in one refresh, as bookings do on a busy day.
const CHANGE_EVERY_MS = 250;
const REFRESH_DELAY_MS = 500;
const ACK_RATE_PER_SECOND = 100;
const ACK_DELIVERIES = 1000;
const KEY = 'bench_signing_key';

/**
 * Webhook freshness on PostgreSQL (issue #13): on a 10,000-event organisation, the time from a
 * change in the simulator (a new booking, delivered signed) until the customer's row shows it,
 * with WEBHOOK_REFRESH_DELAY_MS=500; and the acknowledgement time of deliveries sent at 100/s.
 */
export async function freshnessStage(report: BenchReport): Promise<void> {
  const name = await createBenchDatabase('freshness');
  const db = await openMigrated(name);
  const simulator = await startSimulator({ seed: 31, events: EVENTS });
  const config = loadConfig({
    CALENDLY_RATE_LIMIT_PER_MINUTE: '1000000', CALENDLY_CONCURRENCY: '16', SYNC_CRON: 'off', HOST: '127.0.0.1', PORT: '0',
    CALENDLY_API_KEY: simulator.apiKey, CALENDLY_WEBHOOK_SIGNING_KEY: KEY, WEBHOOK_REFRESH_DELAY_MS: String(REFRESH_DELAY_MS),
  });
  const app = await startApp({ config, db, logger: pino({ level: 'silent' }), calendly: { baseUrl: simulator.url, apiKey: simulator.apiKey } });
  try {
    const first = await (await app.coordinator.start({ trigger: 'cli' })).finished;
    if (first.status !== 'succeeded') throw new Error(`first sync ${first.status}: ${first.error}`);
    simulator.webhooks.route('POST', new URL('/webhook_subscriptions', simulator.url), JSON.stringify({
      url: `${app.origin}/webhooks/calendly`, events: CALENDLY_WEBHOOK_EVENTS, organization: simulator.organizationUri,
      scope: 'organization', signing_key: KEY,
    }));
    const activity = new OrganisationActivity(simulator.dataset, simulator.webhooks, 31);

    // Freshness: each change's time until `unified_customers` has its customer.
    const waits: Promise<number>[] = [];
    for (let i = 0; i < CHANGES; i += 1) {
      const email = `fresh${i}@bench.example`;
      const changedAt = performance.now();
      activity.book(email, new Date(Date.now() + 3 * DAY_MS));
      waits.push((async () => {
        for (;;) {
          const rows: unknown[] = await db.dataSource.query('select 1 from unified_customers where email = $1 and calls_upcoming = 1', [email]);
          if (rows.length > 0) return performance.now() - changedAt;
          await sleep(20);
        }
      })());
      await sleep(CHANGE_EVERY_MS);
    }
    const freshness = await Promise.all(waits);
    await app.webhooks?.idle();

    // Acknowledgement: signed deliveries of a known booking (a replay: verified, validated and
    // merged, nothing to change), at 100/s.
    const known = simulator.dataset.allInvitees().find((i) => typeof i.email === 'string')!;
    const replay = JSON.stringify({ event: 'invitee.created', created_at: new Date().toISOString(), created_by: simulator.dataset.hosts[0].uri,
      payload: { ...known, scheduled_event: simulator.dataset.getEvent(known.event) } });
    const acks: Promise<number>[] = [];
    for (let i = 0; i < ACK_DELIVERIES; i += 1) {
      const sentAt = performance.now();
      acks.push(fetch(`${app.origin}/webhooks/calendly`, {
        method: 'POST',
        headers: { 'content-type': 'application/json', [SIGNATURE_HEADER]: signWebhookBody(KEY, replay, Date.now() / 1000) },
        body: replay,
      }).then(async (response) => {
        await response.arrayBuffer();
        if (response.status !== 200) throw new Error(`delivery answered ${response.status}`);
        return performance.now() - sentAt;
      }));
      await sleep(1000 / ACK_RATE_PER_SECOND);
    }
    const ack = await Promise.all(acks);

    const p95 = percentile(freshness, 95) / 1000;
    report.detail(STAGE, { events: EVENTS, changes: CHANGES, changeEveryMs: CHANGE_EVERY_MS, refreshDelayMs: REFRESH_DELAY_MS,
      freshnessMs: { p50: percentile(freshness, 50), p95: percentile(freshness, 95), max: Math.max(...freshness) },
      ackMs: { p50: percentile(ack, 50), p99: percentile(ack, 99), max: Math.max(...ack) } });
    report.add({
      stage: STAGE, figure: `change to customer row, p95 (${CHANGES} bookings, ${EVENTS} events, delay ${REFRESH_DELAY_MS} ms)`,
      value: p95, unit: 's', baseline: null, baselineLabel: '', ratio: null, target: 'p95 <= 2 s', pass: p95 <= 2,
      note: `p50 ${(percentile(freshness, 50) / 1000).toFixed(2)} s`,
    });
    const p99 = percentile(ack, 99);
    report.add({
      stage: STAGE, figure: `delivery acknowledgement p99 at ${ACK_RATE_PER_SECOND}/s`,
      value: p99, unit: 'ms', baseline: null, baselineLabel: '', ratio: null, target: 'p99 <= 50 ms', pass: p99 <= 50,
      note: `p50 ${percentile(ack, 50).toFixed(1)} ms over ${ACK_DELIVERIES} deliveries`,
    });
  } finally {
    await app.close();
    await simulator.close();
    await db.close();
    await dropBenchDatabase(name);
  }
}
