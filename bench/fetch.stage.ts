import { CalendlyClient } from '../src/calendly/calendly-client';
import { fetchWindow, type FetchCounts, type FetchSink } from '../src/sync/fetch-window';
import { syncWindow } from '../src/sync/sync-window';
import { startSimulator } from '../src/simulator/simulator.server';
import { ratio, seconds, type BenchReport } from './bench-result';

const STAGE = 'fetch';
const EVENTS = 1500;
const LATENCY_MS = 30;
// Calendly allows 500/min; scaled up 12x so the rate-bound run lasts ~15 s. The ratio is what counts.
const RATE_PER_MINUTE = 6000;
const RATE_BOUND_CONCURRENCY = 8;
const LATENCY_BOUND_CONCURRENCY = 16;
const UNLIMITED_PER_MINUTE = 1_000_000;

/** Discards every row: isolates the fetch (HTTP, pacing, validation, row mapping) from the database. */
const discardSink: FetchSink = {
  events: async () => undefined,
  invitees: async () => undefined,
  rejected: async () => undefined,
  forgetEvent: async () => undefined,
};

interface FetchRun {
  seconds: number;
  requests: number;
  serverRequests: number;
  rateLimited: number;
  rateLimitWaits: number;
  maxInFlight: number;
  counts: FetchCounts;
}

async function measure(now: Date, server: { rateLimitPerMinute?: number }, client: { rateLimitPerMinute: number; concurrency: number }): Promise<FetchRun> {
  const sim = await startSimulator({ seed: 11, events: EVENTS, now, latencyMs: LATENCY_MS, ...server });
  const calendly = new CalendlyClient({
    baseUrl: sim.url, apiKey: sim.apiKey, rateLimitPerMinute: client.rateLimitPerMinute,
    concurrency: client.concurrency, maxRetries: 3, timeoutMs: 30_000,
  });
  try {
    const started = performance.now();
    const counts = await fetchWindow(calendly, discardSink, {
      organization: sim.organizationUri,
      // A day wider than the generated data on both sides, so every event is in the window.
      window: syncWindow(now, 91, 91),
      // What SyncCoordinator passes: four queued per request in flight.
      maxPendingInvitees: client.concurrency * 4,
    });
    const elapsed = seconds(started);
    const stats = calendly.stats();
    return {
      seconds: elapsed, requests: stats.requests, serverRequests: sim.stats.requests, rateLimited: sim.stats.rateLimited,
      rateLimitWaits: stats.rateLimitWaits, maxInFlight: sim.stats.maxInFlight, counts,
    };
  } finally {
    calendly.close();
    await sim.close();
  }
}

export async function fetchStage(report: BenchReport): Promise<void> {
  const now = new Date();
  // Rate-bound: server enforces 6000/min over a 60 s window, client paces itself at the same rate.
  const rateBound = await measure(now, { rateLimitPerMinute: RATE_PER_MINUTE },
    { rateLimitPerMinute: RATE_PER_MINUTE, concurrency: RATE_BOUND_CONCURRENCY });
  // Latency-bound: no limit anywhere, 16 in flight.
  const latencyBound = await measure(now, {}, { rateLimitPerMinute: UNLIMITED_PER_MINUTE, concurrency: LATENCY_BOUND_CONCURRENCY });
  // The same window one request at a time, as generic connectors read it.
  const serial = await measure(now, {}, { rateLimitPerMinute: UNLIMITED_PER_MINUTE, concurrency: 1 });
  report.detail('fetch', { events: EVENTS, latencyMs: LATENCY_MS, rateBound, latencyBound, serial });

  const events = rateBound.counts.eventsFetched;
  // One request per page of 100 events, one invitee page per event (none has more than 100); no /users/me.
  const minimum = Math.ceil(events / 100) + events;
  report.add({
    stage: STAGE, figure: `requests made (${events} events, ${rateBound.counts.inviteesFetched} invitees)`,
    value: rateBound.requests, unit: 'req', baseline: minimum, baselineLabel: 'ceil(events/100) + events',
    ratio: ratio(rateBound.requests, minimum), target: 'ratio = 1.00', pass: rateBound.requests === minimum,
    note: `server saw ${rateBound.serverRequests} requests, ${rateBound.rateLimited} answered 429; client paused ${rateBound.rateLimitWaits} times`,
  });

  const rateFloor = rateBound.requests / (RATE_PER_MINUTE / 60);
  const rateRatio = ratio(rateBound.seconds, rateFloor);
  report.add({
    stage: STAGE, figure: `rate-bound wall (${RATE_PER_MINUTE}/min, ${LATENCY_MS} ms, c=${RATE_BOUND_CONCURRENCY})`,
    value: rateBound.seconds, unit: 's', baseline: rateFloor, baselineLabel: 'requests / rate limit',
    ratio: rateRatio, target: 'ratio <= 1.10', pass: rateRatio <= 1.1,
  });

  const latencyFloor = (latencyBound.requests * LATENCY_MS) / 1000 / LATENCY_BOUND_CONCURRENCY;
  report.add({
    stage: STAGE, figure: `latency-bound wall (no limit, ${LATENCY_MS} ms, c=${LATENCY_BOUND_CONCURRENCY})`,
    value: latencyBound.seconds, unit: 's', baseline: latencyFloor, baselineLabel: 'requests x latency / concurrency',
    ratio: ratio(latencyBound.seconds, latencyFloor), target: '', pass: null,
    note: `simulator saw at most ${latencyBound.maxInFlight} requests in flight`,
  });

  const serialFloor = (serial.requests * LATENCY_MS) / 1000;
  report.add({
    stage: STAGE, figure: 'one-at-a-time wall (c=1)',
    value: serial.seconds, unit: 's', baseline: serialFloor, baselineLabel: 'requests x latency',
    ratio: ratio(serial.seconds, serialFloor), target: '', pass: null,
  });

  const speedup = serial.seconds / latencyBound.seconds;
  report.add({
    stage: STAGE, figure: `speed-up c=${LATENCY_BOUND_CONCURRENCY} vs one-at-a-time`,
    value: speedup, unit: 'x', baseline: LATENCY_BOUND_CONCURRENCY, baselineLabel: 'ideal = concurrency',
    ratio: ratio(LATENCY_BOUND_CONCURRENCY, speedup), target: 'speed-up >= 8', pass: speedup >= 8,
  });
}
