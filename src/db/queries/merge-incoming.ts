import type { Queryable } from '../queryable';
import { storableJson } from './storable-json';

// Within one run a uri can arrive twice (pages shift while we read); keep its newest copy,
// then apply it to the landing table only when it is at least as new as the stored row
// (metrics.md §1: the most recently updated copy wins). Equal updated_at must win: Calendly
// does not say that a late no-show mark bumps it. A copy identical to the stored one is
// skipped, so a re-sync of an unchanged window rewrites nothing.
const MERGE_EVENTS = `
insert into calendly_scheduled_events as t (
    uri, uuid, name, status, start_time, end_time, event_type_uri,
    organizer_user_uri, organizer_email, organizer_name, invitees_total, invitees_active,
    canceled_at, created_at, updated_at, raw, last_seen_run_id
)
select distinct on (uri)
    uri, uuid, name, status, start_time, end_time, event_type_uri,
    organizer_user_uri, organizer_email, organizer_name, invitees_total, invitees_active,
    canceled_at, created_at, updated_at, raw, last_seen_run_id
from calendly_incoming_events
where last_seen_run_id = $1
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

const MERGE_INVITEES = `
insert into calendly_event_invitees as t (
    uri, event_uri, email, name, status, is_rescheduled, old_invitee_uri, new_invitee_uri,
    no_show_uri, no_show_marked_at, canceled_at, created_at, updated_at, raw, last_seen_run_id
)
select distinct on (uri)
    uri, event_uri, email, name, status, is_rescheduled, old_invitee_uri, new_invitee_uri,
    no_show_uri, no_show_marked_at, canceled_at, created_at, updated_at, raw, last_seen_run_id
from calendly_incoming_invitees
where last_seen_run_id = $1
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
// still returned. Only what the run's reads covered is marked.
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
  await runner.query(MERGE_EVENTS, [runId]);
  await runner.query(MERGE_INVITEES, [runId]);
  await settleGone(runner, EVENTS_GONE, [runId, listed.windowStart, listed.windowEnd]);
  await settleGone(runner, INVITEES_GONE, [runId]);
  await deleteIncoming(runner, runId);
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
