import { randomBytes } from 'node:crypto';
import { Client } from 'pg';
import { openDatabase, type Database } from '../../src/db/data-source';
import { migrate } from '../../src/db/migrate';

/**
 * A fresh, migrated database for one test file: an in-memory PGlite by default, or a new
 * database on the server named by DATABASE_URL (dropped again by `close`).
 */
export async function openTestDatabase(options: { migrate?: boolean } = {}): Promise<Database & { url?: string }> {
  const serverUrl = process.env.DATABASE_URL;
  let db: Database & { url?: string };
  if (!serverUrl) {
    db = await openDatabase({});
  } else {
    const name = `calendly_sync_test_${randomBytes(6).toString('hex')}`;
    await adminQuery(serverUrl, `create database ${name}`);
    const url = withDatabase(serverUrl, name);
    const opened = await openDatabase({ databaseUrl: url });
    db = {
      ...opened,
      url,
      close: async () => {
        await opened.close();
        await adminQuery(serverUrl, `drop database if exists ${name} with (force)`);
      },
    };
  }
  if (options.migrate !== false) await migrate(db.dataSource);
  return db;
}

function withDatabase(serverUrl: string, name: string): string {
  const url = new URL(serverUrl);
  url.pathname = `/${name}`;
  return url.toString();
}

async function adminQuery(serverUrl: string, sql: string): Promise<void> {
  const client = new Client({ connectionString: serverUrl });
  await client.connect();
  try {
    await client.query(sql);
  } finally {
    await client.end();
  }
}
