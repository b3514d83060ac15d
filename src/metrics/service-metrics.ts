import { setTimeout as sleep } from 'node:timers/promises';
import { Counter, Gauge, Histogram, Registry } from 'prom-client';
import type { DataSource } from 'typeorm';

/**
 * How a webhook delivery ended: landed (`accepted`), landed with its record refused by
 * validation (`refused`), an event type the service does not use (`ignored`), a bad or missing
 * signature, a body that is not a delivery (`invalid`), or a failure Calendly should retry (`error`).
 */
export type WebhookOutcome = 'accepted' | 'refused' | 'ignored' | 'bad_signature' | 'invalid' | 'error';

export type GraphQLOutcome = 'ok' | 'error';

interface RunFigures {
  runs: { trigger: string; status: string; runs: number }[];
  durations: { trigger: string; seconds: number }[];
  last_success_age: number | null;
  landed: number;
  refused: number;
}

// One statement, so one scrape costs one round trip. Rows landed are the records a succeeded run
// fetched and did not refuse (metrics.md §4: every fetched record is one or the other).
const RUN_FIGURES_SQL = `
select
  (select coalesce(json_agg(r), '[]') from (
     select trigger, status, count(*)::int as runs from sync_runs group by trigger, status) r) as runs,
  (select coalesce(json_agg(d), '[]') from (
     select distinct on (trigger) trigger, extract(epoch from finished_at - started_at)::float8 as seconds
     from sync_runs where finished_at is not null order by trigger, finished_at desc) d) as durations,
  (select extract(epoch from now() - max(finished_at))::float8 from sync_runs where status = 'succeeded') as last_success_age,
  (select coalesce(sum(events_processed + invitees_processed - records_rejected), 0)::float8
     from sync_runs where status = 'succeeded') as landed,
  (select coalesce(sum(records_rejected), 0)::float8 from sync_runs where status = 'succeeded') as refused`;

// PGlite has one connection: while a sync holds it, a scrape would wait for the whole run.
const READ_TIMEOUT_MS = 3000;

/**
 * The service's Prometheus series, on a registry of its own (several apps share a process in
 * tests and the bench). What `sync_runs` already records is read from it at scrape time, so it
 * survives restarts and needs no wiring into the sync; the rest is counted as it happens.
 *
 * It is also the observer the Calendly client reports requests and rate-limit waits to.
 */
export class ServiceMetrics {
  readonly registry = new Registry();
  private readonly calendlyRequests: Counter<'status'>;
  private readonly rateLimitWaits: Counter;
  private readonly webhookDeliveries: Counter<'outcome'>;
  private readonly graphqlRequests: Counter<'operation' | 'outcome'>;
  private readonly graphqlDuration: Histogram<'operation'>;
  private reading: Promise<RunFigures | undefined> | undefined;

  constructor(private readonly dataSource: DataSource) {
    const registers = [this.registry];
    const figures = () => this.runFigures();

    new Gauge({
      name: 'calendly_sync_runs', help: 'Sync runs recorded in sync_runs, by trigger and status.', labelNames: ['trigger', 'status'],
      registers,
      async collect() {
        const read = await figures();
        if (!read) return;
        this.reset();
        for (const row of read.runs) this.set({ trigger: row.trigger, status: row.status }, row.runs);
      },
    });
    new Gauge({
      name: 'calendly_sync_last_run_duration_seconds', help: 'How long the latest finished run of each trigger took, start to finish.',
      labelNames: ['trigger'], registers,
      async collect() {
        const read = await figures();
        if (!read) return;
        this.reset();
        for (const row of read.durations) this.set({ trigger: row.trigger }, row.seconds);
      },
    });
    const lastSuccessAge = new Gauge({
      name: 'calendly_sync_last_success_age_seconds',
      help: 'Seconds since the latest succeeded run finished; +Inf when no run has succeeded yet.', registers,
      async collect() {
        const read = await figures();
        if (read) this.set(read.last_success_age ?? Number.POSITIVE_INFINITY);
      },
    });
    // Until the database has answered once, no success is known.
    lastSuccessAge.set(Number.POSITIVE_INFINITY);
    new Counter({
      name: 'calendly_sync_rows_landed_total', help: 'Calendly records (events and invitees) succeeded runs landed in staging.', registers,
      async collect() {
        const read = await figures();
        if (!read) return;
        this.reset();
        this.inc(read.landed);
      },
    });
    new Counter({
      name: 'calendly_sync_rows_refused_total', help: 'Calendly records succeeded runs refused by validation (metrics.md §5).', registers,
      async collect() {
        const read = await figures();
        if (!read) return;
        this.reset();
        this.inc(read.refused);
      },
    });

    this.calendlyRequests = new Counter({
      name: 'calendly_sync_calendly_requests_total',
      help: 'HTTP requests sent to Calendly, retries included, by response status ("error": no response).',
      labelNames: ['status'], registers,
    });
    this.rateLimitWaits = new Counter({
      name: 'calendly_sync_calendly_rate_limit_waits_total',
      help: 'Times a Calendly request waited for the rate limit (the client\'s own pacing or a 429).', registers,
    });
    this.webhookDeliveries = new Counter({
      name: 'calendly_sync_webhook_deliveries_total', help: 'Calendly webhook deliveries received, by outcome.',
      labelNames: ['outcome'], registers,
    });
    this.graphqlRequests = new Counter({
      name: 'calendly_sync_graphql_requests_total',
      help: 'GraphQL requests, by operation (its root fields, "-" when it did not parse or validate) and outcome.',
      labelNames: ['operation', 'outcome'], registers,
    });
    this.graphqlDuration = new Histogram({
      name: 'calendly_sync_graphql_request_duration_seconds', help: 'GraphQL request latency, by operation (its root fields).',
      labelNames: ['operation'], registers,
    });
  }

  calendlyRequest(status: number | 'error'): void {
    this.calendlyRequests.inc({ status: String(status) });
  }

  calendlyRateLimitWait(): void {
    this.rateLimitWaits.inc();
  }

  webhookDelivery(outcome: WebhookOutcome): void {
    this.webhookDeliveries.inc({ outcome });
  }

  graphqlRequest(operation: string, outcome: GraphQLOutcome, seconds: number): void {
    this.graphqlRequests.inc({ operation, outcome });
    this.graphqlDuration.observe({ operation }, seconds);
  }

  get contentType(): string {
    return this.registry.contentType;
  }

  /** The Prometheus text of every series. */
  render(): Promise<string> {
    return this.registry.metrics();
  }

  // Every collect() of one scrape shares one read. When the database does not answer in time,
  // the series read from it keep their last values.
  private runFigures(): Promise<RunFigures | undefined> {
    this.reading ??= Promise.race([
      this.dataSource.query<RunFigures[]>(RUN_FIGURES_SQL).then(([row]) => row, () => undefined),
      sleep(READ_TIMEOUT_MS, undefined, { ref: false }),
    ]).finally(() => {
      this.reading = undefined;
    });
    return this.reading;
  }
}
