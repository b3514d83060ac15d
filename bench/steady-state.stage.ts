import pino from 'pino';
import type { SyncRun } from '../entities';
import { loadConfig } from '../src/config/config';
import { applyChurn } from '../src/simulator/churn.generator';
import { startSimulator } from '../src/simulator/simulator.server';
import { SyncCoordinator, type SyncRequest } from '../src/sync/sync-coordinator';
import { fmt, ratio, seconds, type BenchReport } from './bench-result';
import { createBenchDatabase, dropBenchDatabase, openMigrated } from './bench-db';

const STAGE = 'steady-state';
const EVENTS = 20_000;
const CHURN_HOURS = 4;
// Calendly's limit for a token, shared with every other integration on it.
const CALENDLY_PER_MINUTE = 500;
const ORGANISATION_SIZES = [1_000, 5_000, 20_000, 50_000, 120_000, 250_000];

/**
 * A scheduled run in the steady state (metrics.md §6): 20,000 events over the 180-day window, a
 * first full run, four hours of realistic churn, then the incremental run the schedule makes and
 * a full run of the same state. Requests are what the client sent, retries included.
 */
export async function steadyStateStage(report: BenchReport): Promise<void> {
  const now = new Date();
  const name = await createBenchDatabase('steady');
  const db = await openMigrated(name);
  const simulator = await startSimulator({ seed: 23, events: EVENTS, now });
  try {
    const config = loadConfig({ CALENDLY_RATE_LIMIT_PER_MINUTE: '1000000', CALENDLY_CONCURRENCY: '16', SYNC_CRON: 'off' });
    const coordinator = new SyncCoordinator({
      db, config, logger: pino({ level: 'silent' }), calendly: { baseUrl: simulator.url, apiKey: simulator.apiKey },
    });
    const sync = async (request: Omit<SyncRequest, 'trigger'>): Promise<SyncRun & { seconds: number }> => {
      const started = performance.now();
      const run = await (await coordinator.start({ trigger: 'cli', ...request })).finished;
      if (run.status !== 'succeeded') throw new Error(`run ${run.id} ${run.status}: ${run.error}`);
      return Object.assign(run, { seconds: seconds(started) });
    };

    const first = await sync({ asOf: now });
    const later = new Date(now.getTime() + CHURN_HOURS * 3_600_000);
    const churn = applyChurn(simulator.dataset, { seed: 23, from: now, hours: CHURN_HOURS });
    const incremental = await sync({ asOf: later });
    const full = await sync({ asOf: later, full: true });

    const listPages = Math.ceil(full.eventsProcessed / 100);
    const inviteeReads = full.eventsProcessed - incremental.inviteeReadsSkipped;
    report.detail(STAGE, {
      events: EVENTS, churnHours: CHURN_HOURS, churn,
      runs: [first, incremental, full].map((run) => ({
        fetchMode: run.fetchMode, requestsMade: run.requestsMade, inviteeReadsSkipped: run.inviteeReadsSkipped,
        eventsProcessed: run.eventsProcessed, inviteesProcessed: run.inviteesProcessed, seconds: run.seconds,
      })),
    });

    const requestRatio = ratio(incremental.requestsMade, full.requestsMade);
    report.add({
      stage: STAGE, figure: `requests of an incremental run (${full.eventsProcessed} events, ${CHURN_HOURS} h of churn)`,
      value: incremental.requestsMade, unit: 'req', baseline: full.requestsMade, baselineLabel: 'full run of the same state',
      ratio: requestRatio, target: 'ratio <= 0.10', pass: requestRatio <= 0.1,
      note: `${listPages} list pages + ${inviteeReads} invitee reads (settling calls and ${Object.values(churn).reduce((a, b) => a + b, 0)} changes: ${JSON.stringify(churn)}); ${incremental.inviteeReadsSkipped} skipped`,
    });
    report.add({
      stage: STAGE, figure: `minutes of token budget per run at ${CALENDLY_PER_MINUTE}/min, incremental`,
      value: incremental.requestsMade / CALENDLY_PER_MINUTE, unit: 'min', baseline: full.requestsMade / CALENDLY_PER_MINUTE,
      baselineLabel: 'full', ratio: requestRatio, target: '', pass: null,
    });

    // Other sizes, at this run's shape: every list page, plus the same share of invitee reads.
    const readShare = inviteeReads / full.eventsProcessed;
    const bySize = ORGANISATION_SIZES.map((events) => {
      const pages = Math.ceil(events / 100);
      return {
        events,
        fullMinutes: (pages + events) / CALENDLY_PER_MINUTE,
        incrementalMinutes: (pages + Math.ceil(events * readShare)) / CALENDLY_PER_MINUTE,
      };
    });
    report.detail(`${STAGE}.bySize`, { readShare, bySize });
    report.add({
      stage: STAGE, figure: 'token budget by organisation size (events: full / incremental minutes)',
      value: readShare * 100, unit: '% invitee reads', baseline: null, baselineLabel: '', ratio: null, target: '', pass: null,
      note: bySize.map((s) => `${fmt(s.events)}: ${fmt(s.fullMinutes)} / ${fmt(s.incrementalMinutes)}`).join('; '),
    });
  } finally {
    await simulator.close();
    await db.close();
    await dropBenchDatabase(name);
  }
}
