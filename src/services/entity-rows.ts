import type { DataSource, EntityTarget, ValueTransformer } from 'typeorm';

/**
 * Maps rows of a raw `dataSource.query` to entity instances the way TypeORM's repository would
 * (transformers applied, timestamps as `Date`, jsonb parsed), without its query builder or
 * hydration machinery, which cost more CPU than the hot lookups themselves. Built once per
 * entity from its metadata, so a column added to the entity is selected and mapped here too.
 */
export interface EntityRows<T> {
  /** `alias.col1, alias.col2, ...`: every column of the entity by its database name. */
  columns(alias: string): string;
  map(row: Record<string, unknown>): T;
}

type Convert = (value: unknown) => unknown;

const TIMESTAMP_TYPES = new Set(['timestamptz', 'timestamp with time zone', 'timestamp', 'timestamp without time zone']);
const JSON_TYPES = new Set(['json', 'jsonb']);

function quoteIdent(name: string): string {
  return `"${name.replace(/"/g, '""')}"`;
}

function converter(type: unknown, transformer: ValueTransformer | ValueTransformer[] | undefined): Convert | undefined {
  if (transformer) {
    const chain = Array.isArray(transformer) ? [...transformer].reverse() : [transformer];
    return (value) => chain.reduce((current, t) => t.from(current), value);
  }
  if (typeof type === 'string' && TIMESTAMP_TYPES.has(type)) {
    return (value) => (value === null || value instanceof Date ? value : new Date(value as string));
  }
  if (typeof type === 'string' && JSON_TYPES.has(type)) {
    return (value) => (typeof value === 'string' ? JSON.parse(value) : value);
  }
  return undefined;
}

export function entityRows<T>(dataSource: DataSource, target: EntityTarget<T> & (new () => T)): EntityRows<T> {
  const metadata = dataSource.getMetadata(target);
  const fields = metadata.columns.map((column) => ({
    property: column.propertyName,
    column: column.databaseName,
    convert: converter(column.type, column.transformer),
  }));
  const names = fields.map((field) => quoteIdent(field.column));
  return {
    columns: (alias) => names.map((name) => `${alias}.${name}`).join(', '),
    map(row) {
      const entity = new target() as Record<string, unknown>;
      for (const field of fields) {
        const value = row[field.column];
        if (value === undefined) continue;
        entity[field.property] = field.convert ? field.convert(value) : value;
      }
      return entity as T;
    },
  };
}
