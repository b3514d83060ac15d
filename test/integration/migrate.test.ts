import { openDatabase } from '../../src/db/data-source';
import { migrate, readMigrations } from '../../src/db/migrate';
import { openTestDatabase } from '../helpers/test-db';

describe('migrate', () => {
  it('should apply every migration once and nothing when run again', async () => {
    const db = await openTestDatabase({ migrate: false });
    try {
      const first = await migrate(db.dataSource);
      const second = await migrate(db.dataSource);
      expect(first).toEqual(readMigrations().map((m) => m.name));
      expect(second).toEqual([]);
    } finally {
      await db.close();
    }
  });

  it('should give every table and column of the schema a comment', async () => {
    const db = await openTestDatabase();
    try {
      const missing: { table_name: string; column_name: string | null }[] = await db.dataSource.query(`
        select c.table_name, c.column_name
        from information_schema.columns c
        join pg_class t on t.relname = c.table_name and t.relnamespace = 'public'::regnamespace
        where c.table_schema = 'public' and c.table_name <> 'schema_migrations'
          and col_description(t.oid, c.ordinal_position) is null
        union all
        select t.relname, null
        from pg_class t
        where t.relnamespace = 'public'::regnamespace and t.relkind = 'r'
          and t.relname <> 'schema_migrations' and obj_description(t.oid, 'pg_class') is null`);
      expect(missing).toEqual([]);
    } finally {
      await db.close();
    }
  });

  it('should keep columns another source created in unified_customers', async () => {
    const db = await openTestDatabase({ migrate: false });
    try {
      await db.dataSource.query(`create table unified_customers (email text primary key, billing_plan text not null, is_high_value boolean)`);
      await db.dataSource.query(`insert into unified_customers values ('a@example.com', 'pro', true)`);
      await migrate(db.dataSource);
      const rows = await db.dataSource.query(`select email, billing_plan, is_high_value, total_calls_booked from unified_customers`);
      expect(rows).toEqual([{ email: 'a@example.com', billing_plan: 'pro', is_high_value: true, total_calls_booked: null }]);
    } finally {
      await db.close();
    }
  });

  (process.env.DATABASE_URL ? it : it.skip)('should apply once when two processes migrate at once (PostgreSQL)', async () => {
    const db = await openTestDatabase({ migrate: false });
    const other = await openDatabase({ databaseUrl: db.url });
    try {
      const [a, b] = await Promise.all([migrate(db.dataSource), migrate(other.dataSource)]);
      expect([...a, ...b].sort()).toEqual(readMigrations().map((m) => m.name).sort());
    } finally {
      await other.close();
      await db.close();
    }
  });
});
