import { AlertResolver } from './alert.resolver';
import { CustomerConnectionResolver, CustomerResolver } from './customer.resolver';
import { SyncRunResolver } from './sync-run.resolver';

export * from './alert.resolver';
export * from './customer.resolver';
export * from './request.context';
export * from './sync-run.resolver';
export * from './types';

/** Every resolver class, in the order the schema lists them. */
export const RESOLVERS = [CustomerResolver, CustomerConnectionResolver, AlertResolver, SyncRunResolver] as const;
