import { PGlite } from '@electric-sql/pglite';
import { createPgConfig } from '@electric-sql/pglite/node-postgres';
import { DataSource } from 'typeorm';
import { ENTITIES } from '../../entities';
import { lockDataDir } from './data-dir-lock';
import type { DbError } from './db.error';

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
  /**
   * PGlite: the DATA_DIR lock was lost (its directory removed, or another process took it over
   * after this one stalled). By then the database has stopped taking queries; log it and exit.
   */
  onLockLost?: (error: DbError) => void;
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

  let dataSource: DataSource | undefined;
  let lockLost = false;
  // Another writer in the directory corrupts it for good, so on a lost lock this process stops
  // querying (and later skips PGlite's shutdown, which would write to the directory) and reports
  // it; the lock's timer must not throw, that would take the whole process down uncontrolled.
  const onLost = (error: DbError) => {
    lockLost = true;
    if (dataSource?.isInitialized) void dataSource.destroy().catch(() => undefined);
    (options.onLockLost ?? ((lost: DbError) => process.emitWarning(lost)))(error);
  };
  const releaseLock = options.dataDir ? await lockDataDir(options.dataDir, { onLost }) : async () => undefined;
  try {
    const pglite = await PGlite.create(options.dataDir ? { dataDir: options.dataDir } : {});
    // PGlite is one backend: the pool has one connection, held open for the process's life.
    const pgliteSource = new DataSource({ ...common, extra: { ...createPgConfig(pglite), idleTimeoutMillis: 0 } });
    dataSource = pgliteSource;
    await pgliteSource.initialize();
    return {
      kind: 'pglite',
      dataSource: pgliteSource,
      close: async () => {
        try {
          if (pgliteSource.isInitialized) await pgliteSource.destroy();
          if (!lockLost) await pglite.close();
        } finally {
          await releaseLock();
        }
      },
    };
  } catch (error) {
    await releaseLock();
    throw error;
  }
}
