import type { Queryable } from '../queryable';
import { EVENT_ROW_COLUMNS, INVITEE_ROW_COLUMNS, type EventRow, type InviteeRow } from './landing-rows';
import { storableJson } from './storable-json';

// Within one run a uri can arrive twice (pages shift while we read); keep its newest copy,
// then apply it to the landing table only when it is at least as new as the stored row
// (metrics.md §1: the most recently updated copy wins). Equal updated_at must win: Calendly
// does not say that a late no-show mark bumps it. A copy identical to the stored one is
// skipped, so a re-sync of an unchanged window rewrites nothing (nor does a delivery received twice).
// The rows come from a run's scratch table ($1: the run id), or from one webhook delivery ($1:
// its rows as JSON), which no run wrote: last_seen_run_id, absent from the JSON, is null.
const RUN_EVENTS = 'calendly_incoming_events where last_seen_run_id = $1';
const DELIVERED_EVENTS = `jsonb_to_recordset($1::jsonb) as r (${EVENT_ROW_COLUMNS}, last_seen_run_id integer)`;
const RUN_INVITEES = 'calendly_incoming_invitees where last_seen_run_id = $1';
const DELIVERED_INVITEES = `jsonb_to_recordset($1::jsonb) as r (${INVITEE_ROW_COLUMNS}, last_seen_run_id integer)`;

const mergeEvents = (source: string) => `
insert into calendly_scheduled_events as t (
    uri, uuid, name, status, start_time, end_time, event_type_uri,
    organizer_user_uri, organizer_email, organizer_name, invitees_total, invitees_active,
    canceled_at, created_at, updated_at, raw, last_seen_run_id
)
select distinct on (uri)
    uri, uuid, name, status, start_time, end_time, event_type_uri,
    organizer_user_uri, organizer_email, organizer_name, invitees_total, invitees_active,
    canceled_at, created_at, updated_at, raw, last_seen_run_id
from ${source}
order by uri, updated_at desc
on conflict (uri) do update set
    uuid = excluded.uuid, name = excluded.name, status = excluded.status,
    start_time = excluded.start_time, end_time = excluded.end_time, event_type_uri = excluded.event_type_uri,
    organizer_user_uri = excluded.organizer_user_uri, organizer_email = excluded.organizer_email,
    organizer_name = excluded.organizer_name, invitees_total = excluded.invitees_total,
    invitees_active = excluded.invitees_active,
    canceled_at = excluded.canceled_at, created_at = excluded.created_at, updated_at = excluded.updated_at,
    raw = excluded.raw, last_seen_run_id = excluded.last_seen_run_id, loaded_at = now()
where excluded.updated_at >= t.updated_at and excluded.raw is distinct from t.raw`;

const mergeInvitees = (source: string) => `
insert into calendly_event_invitees as t (
    uri, event_uri, email, name, status, is_rescheduled, old_invitee_uri, new_invitee_uri,
    no_show_uri, no_show_marked_at, canceled_at, created_at, updated_at, raw, last_seen_run_id
)
select distinct on (uri)
    uri, event_uri, email, name, status, is_rescheduled, old_invitee_uri, new_invitee_uri,
    no_show_uri, no_show_marked_at, canceled_at, created_at, updated_at, raw, last_seen_run_id
from ${source}
order by uri, updated_at desc
on conflict (uri) do update set
    event_uri = excluded.event_uri, email = excluded.email, name = excluded.name, status = excluded.status,
    is_rescheduled = excluded.is_rescheduled, old_invitee_uri = excluded.old_invitee_uri,
    new_invitee_uri = excluded.new_invitee_uri, no_show_uri = excluded.no_show_uri,
    no_show_marked_at = excluded.no_show_marked_at, canceled_at = excluded.canceled_at,
    created_at = excluded.created_at, updated_at = excluded.updated_at, raw = excluded.raw,
    last_seen_run_id = excluded.last_seen_run_id, loaded_at = now()
where excluded.updated_at >= t.updated_at and excluded.raw is distinct from t.raw`;

// metrics.md §1 "Gone": what a complete read no longer returns is marked gone, with the run; what
// it returns is live again, an identical copy the merge skipped included. Refused records were
// still returned. Only what the run's reads covered is marked, and only what was staged before the
// run began reading: a webhook delivery may land a record the run's reads came too early to see.
interface GoneRule {
  table: string;
  /** Uris this run's reads returned, accepted or refused. */
  returned: string;
  /** The staged rows those reads covered, as `t`. */
  covered: string;
}

const EVENTS_GONE: GoneRule = {
  table: 'calendly_scheduled_events',
  returned: `
    select uri from calendly_incoming_events where last_seen_run_id = $1
    union all
    select uri from calendly_rejected_records where run_id = $1 and record_type = 'scheduled_event' and uri is not null`,
  // the run's window, both ends included (metrics.md §1), as the client listed it
  covered: 't.start_time >= $2 and t.start_time <= $3',
};

const INVITEES_GONE: GoneRule = {
  table: 'calendly_event_invitees',
  returned: `
    select uri from calendly_incoming_invitees where last_seen_run_id = $1
    union all
    select uri from calendly_rejected_records where run_id = $1 and record_type = 'invitee' and uri is not null`,
  covered: 't.event_uri in (select uri from calendly_incoming_events where last_seen_run_id = $1 and invitee_list_read)',
};

async function settleGone(runner: Queryable, rule: GoneRule, params: unknown[]): Promise<void> {
  await runner.query(`
    with returned as (${rule.returned})
    update ${rule.table} as t
    set gone_at = null, gone_run_id = null
    from returned
    where t.uri = returned.uri and t.gone_at is not null`, [params[0]]);
  await runner.query(`
    with returned as (${rule.returned})
    update ${rule.table} as t
    set gone_at = now(), gone_run_id = $1
    where t.gone_at is null
        and t.loaded_at < (select started_at from sync_runs where id = $1)
        and ${rule.covered}
        and not exists (select from returned where returned.uri = t.uri)`, params);
}

/** The start_time bounds of the complete event list a run read. */
export interface ListedWindow {
  windowStart: Date;
  windowEnd: Date;
}

/**
 * Moves a run's fetched rows into the landing tables and marks what its reads no longer return
 * as gone (inside the run's final transaction, so a failed run marks nothing).
 */
export async function mergeIncoming(runner: Queryable, runId: number, listed: ListedWindow): Promise<void> {
  await runner.query(mergeEvents(RUN_EVENTS), [runId]);
  await runner.query(mergeInvitees(RUN_INVITEES), [runId]);
  await settleGone(runner, EVENTS_GONE, [runId, listed.windowStart, listed.windowEnd]);
  await settleGone(runner, INVITEES_GONE, [runId]);
  await deleteIncoming(runner, runId);
}

/**
 * Lands the records of one webhook delivery by the same rule as a run's, and makes them live again
 * if a run had marked them gone (metrics.md §1: seen again, live again). A delivery never marks
 * anything gone: it is no complete read of anything. Returns how many staged rows it changed.
 */
export async function mergeDelivered(runner: Queryable, records: { events: readonly EventRow[]; invitees: readonly InviteeRow[] }): Promise<number> {
  let changed = 0;
  const landings = [
    { table: 'calendly_scheduled_events', merge: mergeEvents(DELIVERED_EVENTS), rows: records.events },
    { table: 'calendly_event_invitees', merge: mergeInvitees(DELIVERED_INVITEES), rows: records.invitees },
  ];
  for (const { table, merge, rows } of landings) {
    if (rows.length === 0) continue;
    // As the rows are stored, so the uris below match them.
    const json = storableJson(rows);
    const [merged]: { rows: number }[] = await runner.query(`with written as (${merge} returning 1) select count(*)::int as rows from written`, [json]);
    const [revived]: { rows: number }[] = await runner.query(`
      with revived as (
          update ${table} set gone_at = null, gone_run_id = null
          where uri in (select uri from jsonb_to_recordset($1::jsonb) as r (uri text)) and gone_at is not null
          returning 1
      )
      select count(*)::int as rows from revived`, [json]);
    changed += merged.rows + revived.rows;
  }
  return changed;
}

/** Drops a run's scratch rows (after merging, or after the run failed). */
export async function deleteIncoming(runner: Queryable, runId: number): Promise<void> {
  await runner.query('delete from calendly_incoming_events where last_seen_run_id = $1', [runId]);
  await runner.query('delete from calendly_incoming_invitees where last_seen_run_id = $1', [runId]);
}

/**
 * Drops an event a run listed but that was deleted before its invitees could be read: as if the
 * list had not held it, so the merge marks a staged copy gone instead of keeping its old invitees.
 */
export async function forgetIncomingEvent(runner: Queryable, runId: number, eventUri: string): Promise<void> {
  // As the scratch rows stored it.
  const stored = JSON.parse(storableJson(eventUri)) as string;
  await runner.query('delete from calendly_incoming_events where last_seen_run_id = $1 and uri = $2', [runId, stored]);
  await runner.query('delete from calendly_incoming_invitees where last_seen_run_id = $1 and event_uri = $2', [runId, stored]);
}
