import type { Database } from '../db/data-source';
import { inTransaction } from '../db/in-transaction';
import { insertRejectedRecords } from '../db/queries/insert-rejected-records';
import { mergeDelivered } from '../db/queries/merge-incoming';
import type { DeliveryRecords } from './delivery-records';

/**
 * Lands one delivery's records in staging by the polling merge (metrics.md §1: the most recently
 * updated copy wins, so the same delivery twice changes nothing) and keeps its refusals, in one
 * transaction: a delivery is landed whole or not at all. Returns how many staged rows changed.
 */
export async function landDelivery(db: Database, webhookEvent: string, records: DeliveryRecords): Promise<number> {
  return inTransaction(db.dataSource, async (runner) => {
    await insertRejectedRecords(runner, { webhookEvent }, records.rejected);
    return mergeDelivered(runner, records);
  });
}
