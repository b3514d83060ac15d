import type { Queryable } from '../queryable';
import { storableJson } from './storable-json';

/** Why a record was refused (metrics.md §5); the table's check constraint lists the same. */
export type RejectionReason = 'missing_uri' | 'missing_email' | 'invalid_email' | 'invalid_start_time' | 'invalid_status';

export interface RejectedRecord {
  recordType: 'scheduled_event' | 'invitee';
  uri: string | null;
  reason: RejectionReason;
  raw: unknown;
}

const SQL = `
insert into calendly_rejected_records (run_id, webhook_event, record_type, uri, reason, raw)
select $2, $3, r->>'record_type', r->>'uri', r->>'reason', r->'raw'
from jsonb_array_elements($1::jsonb) as r`;

/** Who refused the records: a run, or the receiver of a webhook delivery of this event type. */
export type RefusedBy = number | { webhookEvent: string };

/** Keeps refused records with their reason and raw payload (metrics.md §5). */
export async function insertRejectedRecords(runner: Queryable, refusedBy: RefusedBy, records: readonly RejectedRecord[]): Promise<void> {
  if (records.length === 0) return;
  const rows = records.map((r) => ({ record_type: r.recordType, uri: r.uri, reason: r.reason, raw: r.raw }));
  const [runId, webhookEvent] = typeof refusedBy === 'number' ? [refusedBy, null] : [null, refusedBy.webhookEvent];
  await runner.query(SQL, [storableJson(rows), runId, webhookEvent]);
}
