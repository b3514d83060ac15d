import type { Queryable } from '../queryable';
import { EVENT_ROW_COLUMNS, type EventRow } from './landing-rows';
import { storableJson } from './storable-json';

/** A scheduled event as a run fetched it, and whether that run reads its complete invitee list. */
export type IncomingEventRow = EventRow & { invitee_list_read: boolean };

const SQL = `
insert into calendly_incoming_events (
    uri, uuid, name, status, start_time, end_time, event_type_uri,
    organizer_user_uri, organizer_email, organizer_name, invitees_total, invitees_active,
    canceled_at, created_at, updated_at, raw, last_seen_run_id, invitee_list_read
)
select
    r.uri, r.uuid, r.name, r.status, r.start_time, r.end_time, r.event_type_uri,
    r.organizer_user_uri, r.organizer_email, r.organizer_name, r.invitees_total, r.invitees_active,
    r.canceled_at, r.created_at, r.updated_at, r.raw, $2, r.invitee_list_read
from jsonb_to_recordset($1::jsonb) as r (${EVENT_ROW_COLUMNS},
    invitee_list_read boolean
)`;

/** Writes a page of validated scheduled events into the run's scratch table: one statement per page. */
export async function insertIncomingEvents(runner: Queryable, runId: number, rows: readonly IncomingEventRow[]): Promise<void> {
  if (rows.length === 0) return;
  await runner.query(SQL, [storableJson(rows), runId]);
}
