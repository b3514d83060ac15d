import type { Queryable } from '../queryable';

// Within one run a uri can arrive twice (pages shift while we read); keep its newest copy,
// then apply it to the landing table only when it is at least as new as the stored row
// (metrics.md §1: the most recently updated copy wins). Equal updated_at must win: Calendly
// does not say that a late no-show mark bumps it. A copy identical to the stored one is
// skipped, so a re-sync of an unchanged window rewrites nothing.
const MERGE_EVENTS = `
insert into calendly_scheduled_events as t (
    uri, uuid, name, status, start_time, end_time, event_type_uri,
    organizer_user_uri, organizer_email, organizer_name, invitees_total,
    canceled_at, created_at, updated_at, raw, last_seen_run_id
)
select distinct on (uri)
    uri, uuid, name, status, start_time, end_time, event_type_uri,
    organizer_user_uri, organizer_email, organizer_name, invitees_total,
    canceled_at, created_at, updated_at, raw, last_seen_run_id
from calendly_incoming_events
where last_seen_run_id = $1
order by uri, updated_at desc
on conflict (uri) do update set
    uuid = excluded.uuid, name = excluded.name, status = excluded.status,
    start_time = excluded.start_time, end_time = excluded.end_time, event_type_uri = excluded.event_type_uri,
    organizer_user_uri = excluded.organizer_user_uri, organizer_email = excluded.organizer_email,
    organizer_name = excluded.organizer_name, invitees_total = excluded.invitees_total,
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

/** Moves a run's fetched rows into the landing tables (inside the run's final transaction). */
export async function mergeIncoming(runner: Queryable, runId: number): Promise<void> {
  await runner.query(MERGE_EVENTS, [runId]);
  await runner.query(MERGE_INVITEES, [runId]);
  await deleteIncoming(runner, runId);
}

/** Drops a run's scratch rows (after merging, or after the run failed). */
export async function deleteIncoming(runner: Queryable, runId: number): Promise<void> {
  await runner.query('delete from calendly_incoming_events where last_seen_run_id = $1', [runId]);
  await runner.query('delete from calendly_incoming_invitees where last_seen_run_id = $1', [runId]);
}
