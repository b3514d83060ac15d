import type { DataSource } from 'typeorm';
import type { Database } from '../../../src/db/data-source';
import { inTransaction } from '../../../src/db/in-transaction';
import { runModels, type ModelExecution, type ModelParams, type RunFigures, type RunModelsOptions } from '../../../src/sql-runner/run-models';
import { syncWindow } from '../../../src/sync/sync-window';
import { openTestDatabase } from '../../helpers/test-db';

/** The instant most tests evaluate against. */
export const AS_OF = new Date('2026-03-01T12:00:00Z');
const DAY_MS = 24 * 60 * 60 * 1000;

/** `AS_OF` shifted by a number of days (fractions allowed; negative = before). */
export function daysFromAsOf(days: number, asOf: Date = AS_OF): Date {
  return new Date(asOf.getTime() + days * DAY_MS);
}

export async function openModelTestDatabase(): Promise<Database> {
  return openTestDatabase();
}

/**
 * One migrated database for the calling test file, emptied before each test; `onReady` gets its
 * data source (a PGlite start costs seconds, so files share one).
 */
export function useModelTestDatabase(onReady: (ds: DataSource) => void | Promise<void>): void {
  let db: Database;
  beforeAll(async () => {
    db = await openModelTestDatabase();
    await onReady(db.dataSource);
  });
  afterAll(async () => {
    await db?.close();
  });
  beforeEach(async () => {
    await cleanTables(db.dataSource);
  });
}

/** Empties every table the models read or write, so each test starts from nothing. */
export async function cleanTables(ds: DataSource): Promise<void> {
  await ds.query(`truncate customer_alerts, calendly_event_invitees, calendly_scheduled_events,
    unified_customers, calendly_rejected_records, sync_runs restart identity cascade`);
}

let sequence = 0;
const nextId = (prefix: string): string => `${prefix}-${(sequence += 1).toString().padStart(6, '0')}`;

export interface EventSpec {
  uri?: string;
  start: Date;
  status?: 'active' | 'canceled';
  organizerName?: string | null;
  organizerEmail?: string | null;
}

/** Inserts a landing scheduled event (typed columns + a minimal raw payload); returns its uri. */
export async function givenEvent(ds: DataSource, spec: EventSpec): Promise<string> {
  const uri = spec.uri ?? `https://api.calendly.com/scheduled_events/${nextId('ev')}`;
  const status = spec.status ?? 'active';
  const organizerName = spec.organizerName === undefined ? 'Olivia Host' : spec.organizerName;
  const organizerEmail = spec.organizerEmail === undefined ? 'olivia@vendor.test' : spec.organizerEmail;
  const raw = {
    uri, status, start_time: spec.start.toISOString(),
    event_memberships: organizerEmail || organizerName ? [{ user_name: organizerName, user_email: organizerEmail }] : [],
  };
  await ds.query(
    `insert into calendly_scheduled_events
         (uri, uuid, status, start_time, organizer_name, organizer_email, updated_at, raw, last_seen_run_id)
     values ($1, $2, $3, $4, $5, $6, $4, $7::jsonb, 0)`,
    [uri, uri.split('/').pop(), status, spec.start.toISOString(), organizerName, organizerEmail, JSON.stringify(raw)],
  );
  return uri;
}

export interface InviteeSpec {
  uri?: string;
  eventUri: string;
  email: string | null;
  status?: 'active' | 'canceled';
  rescheduled?: boolean;
  noShow?: boolean;
}

/** Inserts a landing invitee; returns its uri. */
export async function givenInvitee(ds: DataSource, spec: InviteeSpec): Promise<string> {
  const uri = spec.uri ?? `${spec.eventUri}/invitees/${nextId('inv')}`;
  const noShow = spec.noShow ? { uri: `${uri}/no_show`, created_at: '2026-01-01T00:00:00Z' } : null;
  const raw = { uri, email: spec.email, status: spec.status ?? 'active', rescheduled: spec.rescheduled ?? false, no_show: noShow };
  await ds.query(
    `insert into calendly_event_invitees
         (uri, event_uri, email, status, is_rescheduled, no_show_uri, no_show_marked_at, updated_at, raw, last_seen_run_id)
     values ($1, $2, $3, $4, $5, $6, $7, now(), $8::jsonb, 0)`,
    [uri, spec.eventUri, spec.email, spec.status ?? 'active', spec.rescheduled ?? false,
      noShow?.uri ?? null, noShow?.created_at ?? null, JSON.stringify(raw)],
  );
  return uri;
}

export type BookingSpec = Omit<EventSpec, 'status' | 'uri'> & Omit<InviteeSpec, 'eventUri' | 'status'> & {
  eventStatus?: 'active' | 'canceled';
  inviteeStatus?: 'active' | 'canceled';
};

/** One booking: an event with a single invitee. Returns both uris. */
export async function givenBooking(ds: DataSource, spec: BookingSpec): Promise<{ eventUri: string; inviteeUri: string }> {
  const eventUri = await givenEvent(ds, {
    start: spec.start, status: spec.eventStatus, organizerName: spec.organizerName, organizerEmail: spec.organizerEmail,
  });
  const inviteeUri = await givenInvitee(ds, {
    uri: spec.uri, eventUri, email: spec.email, status: spec.inviteeStatus, rescheduled: spec.rescheduled, noShow: spec.noShow,
  });
  return { eventUri, inviteeUri };
}

/** Marks an existing invitee as a no-show (as a later fetch would). */
export async function markNoShow(ds: DataSource, inviteeUri: string): Promise<void> {
  await ds.query(`update calendly_event_invitees set no_show_uri = uri || '/no_show', no_show_marked_at = now(),
      updated_at = now() where uri = $1`, [inviteeUri]);
}

/** A unified_customers row written by another source (CRM, billing). */
export async function givenCustomerFromAnotherSource(ds: DataSource, row: Record<string, unknown> & { email: string }): Promise<void> {
  const columns = Object.keys(row);
  await ds.query(
    `insert into unified_customers (${columns.join(', ')}) values (${columns.map((_, i) => `$${i + 1}`).join(', ')})`,
    columns.map((c) => row[c]),
  );
}

export interface RunResult {
  runId: number;
  models: ModelExecution[];
  figures: RunFigures;
}

/**
 * Runs the models for a run through the production path of a sync's final transaction, model part:
 * the run's window from `syncWindow`, a `running` sync_runs row, then `runModels` inside
 * `inTransaction`, committed on success and rolled back on error (the run is then marked failed
 * and the error rethrown, as run-sync does).
 */
export async function runModelsAt(ds: DataSource, asOf: Date = AS_OF, options: RunModelsOptions & { lookbackDays?: number; lookaheadDays?: number } = {}): Promise<RunResult> {
  const { windowStart, windowEnd } = syncWindow(asOf, options.lookbackDays ?? 90, options.lookaheadDays ?? 90);
  const [{ id }]: { id: number }[] = await ds.query(
    `insert into sync_runs (trigger, status, as_of, window_start, window_end) values ('cli', 'running', $1, $2, $3) returning id`,
    [asOf, windowStart, windowEnd],
  );
  const params: ModelParams = { runId: id, asOf, windowStart, windowEnd };
  try {
    const result = await inTransaction(ds, (runner) => runModels(runner, params, options));
    await ds.query(`update sync_runs set status = 'succeeded', finished_at = now() where id = $1`, [id]);
    return { runId: id, ...result };
  } catch (error) {
    await ds.query(`update sync_runs set status = 'failed', finished_at = now(), error = $2 where id = $1`,
      [id, (error as Error).message]);
    throw error;
  }
}

/** This service's columns of a customer row, numeric as numbers; undefined when there is no row. */
export interface CustomerRow {
  email: string;
  hubspot_owner_email: string | null;
  is_high_value: boolean | null;
  total_calls_booked: number | null;
  calls_completed: number | null;
  calls_no_show: number | null;
  calls_canceled: number | null;
  calls_rescheduled: number | null;
  calls_upcoming: number | null;
  show_rate: number | null;
  last_call_date: Date | null;
  next_call_date: Date | null;
  current_no_show_streak: number | null;
  calendly_organizer_name: string | null;
  calendly_organizer_email: string | null;
  assigned_am: string | null;
  assigned_am_email: string | null;
  assigned_am_source: string | null;
  calendly_user_id: string | null;
  calendly_quality_points: number | null;
  calendly_health_points: number | null;
  calendly_score_factors: { score: string; factor: string; points: number }[] | null;
  last_calendly_sync: Date | null;
}

const CUSTOMER_COLUMNS = `email, hubspot_owner_email, is_high_value, total_calls_booked, calls_completed, calls_no_show,
  calls_canceled, calls_rescheduled, calls_upcoming, show_rate, last_call_date, next_call_date, current_no_show_streak,
  calendly_organizer_name, calendly_organizer_email, assigned_am, assigned_am_email, assigned_am_source,
  calendly_user_id, calendly_quality_points, calendly_health_points, calendly_score_factors, last_calendly_sync`;

function toCustomerRow(row: CustomerRow & { show_rate: string | number | null }): CustomerRow {
  return { ...row, show_rate: row.show_rate === null ? null : Number(row.show_rate) };
}

export async function customerRows(ds: DataSource): Promise<CustomerRow[]> {
  const rows = await ds.query(`select ${CUSTOMER_COLUMNS} from unified_customers order by email`);
  return rows.map(toCustomerRow);
}

export async function customerRow(ds: DataSource, email: string): Promise<CustomerRow | undefined> {
  const rows = await ds.query(`select ${CUSTOMER_COLUMNS} from unified_customers where email = $1`, [email]);
  return rows.length ? toCustomerRow(rows[0]) : undefined;
}

export interface AlertRow {
  id: number;
  customer_email: string;
  alert_type: string;
  details: Record<string, unknown>;
  opened_at: Date;
  last_seen_at: Date;
  resolved_at: Date | null;
  opened_run_id: number;
  last_seen_run_id: number;
  resolved_run_id: number | null;
}

export async function alertRows(ds: DataSource, email?: string): Promise<AlertRow[]> {
  return ds.query(
    `select * from customer_alerts where $1::text is null or customer_email = $1 order by customer_email, alert_type, id`,
    [email ?? null],
  );
}
