import type { Queryable } from '../queryable';
import type { EventRow } from './landing-rows';
import { storableJson } from './storable-json';

/** What an incremental run compares of one listed event with its staged copy (metrics.md §6). */
export type ListedEvent = Pick<EventRow, 'uri' | 'status' | 'start_time' | 'updated_at' | 'invitees_total' | 'invitees_active'>;

// A live staged copy equal in updated_at, status and both counters was staged by a run that read
// the invitee list behind it, so its staged invitees are still current, unless the call is still
// settling (no-show marks move nothing on the event). A copy a webhook delivery wrote last
// (last_seen_run_id null) vouches for no invitee list: the delivery carried one invitee at most.
// The statement names the events it may skip, not the ones to read: whatever it cannot match is read.
const SQL = `
select listed.uri
from jsonb_to_recordset($1::jsonb) as listed (
    uri text, status text, start_time timestamptz, updated_at timestamptz,
    invitees_total integer, invitees_active integer
)
inner join calendly_scheduled_events as staged on staged.uri = listed.uri
where staged.gone_at is null
    and staged.last_seen_run_id is not null
    and staged.updated_at = listed.updated_at
    and staged.status = listed.status
    and staged.invitees_total is not distinct from listed.invitees_total
    and staged.invitees_active is not distinct from listed.invitees_active
    and listed.start_time not between $2 and $3`;

/**
 * Of one page of listed events, the uris whose staged invitee lists an incremental run keeps
 * instead of reading them again: one statement per page, whatever its size.
 */
export async function selectCurrentInviteeLists(
  runner: Queryable,
  page: readonly ListedEvent[],
  settling: { from: Date; to: Date },
): Promise<Set<string>> {
  if (page.length === 0) return new Set();
  const listed = page.map(({ uri, status, start_time, updated_at, invitees_total, invitees_active }) =>
    ({ uri, status, start_time, updated_at, invitees_total, invitees_active }));
  const rows: { uri: string }[] = await runner.query(SQL, [storableJson(listed), settling.from, settling.to]);
  return new Set(rows.map((row) => row.uri));
}
