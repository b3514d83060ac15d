import { PGlite } from '@electric-sql/pglite';
import { createPgConfig } from '@electric-sql/pglite/node-postgres';
import { DataSource } from 'typeorm';
import { ENTITIES } from '../../entities';
import { lockDataDir } from './data-dir-lock';

export type DatabaseKind = 'postgres' | 'pglite';

/** An open database: the TypeORM data source plus how to close everything under it. */
export interface Database {
  kind: DatabaseKind;
  dataSource: DataSource;
  close(): Promise<void>;
}

export interface DatabaseOptions {
  /** A `postgres://` URL; when absent the embedded PGlite database is used. */
  databaseUrl?: string;
  /** PGlite data directory; `undefined` keeps it in memory (tests). */
  dataDir?: string;
  poolSize?: number;
}

/** Opens PostgreSQL when a URL is given, else PGlite. Never `synchronize`: the schema comes from sql/migrations. */
export async function openDatabase(options: DatabaseOptions): Promise<Database> {
  const common = { type: 'postgres' as const, entities: ENTITIES, synchronize: false, migrationsRun: false, logging: false };
  if (options.databaseUrl) {
    const dataSource = new DataSource({ ...common, url: options.databaseUrl, poolSize: options.poolSize ?? 10,
      extra: { application_name: 'calendly-sync' } });
    await dataSource.initialize();
    return { kind: 'postgres', dataSource, close: () => dataSource.destroy() };
  }

  const releaseLock = options.dataDir ? lockDataDir(options.dataDir) : () => undefined;
  try {
    const pglite = await PGlite.create(options.dataDir ? { dataDir: options.dataDir } : {});
    // PGlite is one backend: the pool has one connection, held open for the process's life.
    const dataSource = new DataSource({ ...common, extra: { ...createPgConfig(pglite), idleTimeoutMillis: 0 } });
    await dataSource.initialize();
    return {
      kind: 'pglite',
      dataSource,
      close: async () => {
        try {
          await dataSource.destroy();
          await pglite.close();
        } finally {
          releaseLock();
        }
      },
    };
  } catch (error) {
    releaseLock();
    throw error;
  }
}
