import type { Queryable } from '../queryable';
import { storableJson } from './storable-json';
import { INVITEE_ROW_COLUMNS, type InviteeRow } from './landing-rows';

const SQL = `
insert into calendly_incoming_invitees (
    uri, event_uri, email, name, status, is_rescheduled, old_invitee_uri, new_invitee_uri,
    no_show_uri, no_show_marked_at, canceled_at, created_at, updated_at, raw, last_seen_run_id
)
select
    r.uri, r.event_uri, r.email, r.name, r.status, r.is_rescheduled, r.old_invitee_uri, r.new_invitee_uri,
    r.no_show_uri, r.no_show_marked_at, r.canceled_at, r.created_at, r.updated_at, r.raw, $2
from jsonb_to_recordset($1::jsonb) as r (${INVITEE_ROW_COLUMNS})`;

/** Writes a batch of validated invitees into the run's scratch table: one statement per batch. */
export async function insertIncomingInvitees(runner: Queryable, runId: number, rows: readonly InviteeRow[]): Promise<void> {
  if (rows.length === 0) return;
  await runner.query(SQL, [storableJson(rows), runId]);
}
