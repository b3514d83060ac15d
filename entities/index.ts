import { CustomerAlert } from './customer-alert.entity';
import { SyncRun } from './sync-run.entity';
import { UnifiedCustomer } from './unified-customer.entity';

export * from './customer-alert.entity';
export * from './score-factor.type';
export * from './sync-run.entity';
export * from './unified-customer.entity';

/** Every TypeORM entity, for the data source. */
export const ENTITIES = [UnifiedCustomer, CustomerAlert, SyncRun];
