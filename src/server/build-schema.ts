import { join } from 'node:path';
import { printSchema, type GraphQLSchema } from 'graphql';
import { GraphQLDateTime } from 'graphql-scalars';
import { buildSchema, type ContainerType } from 'type-graphql';
import {
  AlertResolver,
  CustomerConnectionResolver,
  CustomerResolver,
  RESOLVERS,
  SyncRunResolver,
} from '../../resolvers';
import { projectRoot } from '../project-root';
import type { AlertService } from '../services/alert.service';
import type { CustomerService } from '../services/customer.service';
import type { SyncRunService } from '../services/sync-run.service';

export interface AppServices {
  customers: CustomerService;
  alerts: AlertService;
  syncRuns: SyncRunService;
}

/** A container that hands type-graphql the resolver instances built once around the services. */
function resolverContainer(services: AppServices): ContainerType {
  const instances = new Map<unknown, unknown>([
    [CustomerResolver, new CustomerResolver(services.customers)],
    [CustomerConnectionResolver, new CustomerConnectionResolver(services.customers)],
    [AlertResolver, new AlertResolver(services.alerts)],
    [SyncRunResolver, new SyncRunResolver(services.syncRuns)],
  ]);
  return {
    get(someClass: unknown) {
      const instance = instances.get(someClass);
      if (!instance) throw new Error(`no instance registered for ${String((someClass as { name?: string }).name)}`);
      return instance;
    },
  };
}

/** The executable schema: validated inputs, `Date` as the `DateTime` scalar (ISO-8601 strings). */
export function buildAppSchema(services: AppServices): Promise<GraphQLSchema> {
  return buildSchema({
    resolvers: RESOLVERS,
    container: resolverContainer(services),
    validate: true,
    scalarsMap: [{ type: Date, scalar: GraphQLDateTime }],
  });
}

/** The committed contract file at the package root (style §15). */
export function schemaFilePath(): string {
  return join(projectRoot(), 'schema.graphql');
}

/** The schema as SDL; what `schema.graphql` must equal. No resolver runs, so no services are needed. */
export async function printAppSchema(): Promise<string> {
  const unused = {} as AppServices;
  return `${printSchema(await buildAppSchema(unused))}\n`;
}
