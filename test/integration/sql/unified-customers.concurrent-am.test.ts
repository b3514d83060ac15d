import { Client } from 'pg';
import type { DataSource } from 'typeorm';
import type { Database } from '../../../src/db/data-source';
import {
  cleanTables, customerRow, daysFromAsOf, givenBooking, givenCustomerFromAnotherSource, openModelTestDatabase, runModelsAt,
} from './sql-models.helper';

// Another source's AM committed at any moment of a run is never overwritten (metrics.md §2),
// including between the models' plan and their write. PostgreSQL only: PGlite has one
// connection, so nothing can commit in the middle of a run there.
describe('unified_customers AM written by another source during a run (metrics.md §2)', () => {
  let db: Database & { url?: string };
  let ds: DataSource;

  beforeAll(async () => {
    if (!process.env.DATABASE_URL) return;
    db = await openModelTestDatabase();
    ds = db.dataSource;
  });

  afterAll(async () => {
    await db?.close();
  });

  beforeEach(async () => {
    if (ds) await cleanTables(ds);
  });

  async function runsWaitingOnALock(): Promise<number> {
    const [{ waiting }] = await ds.query(
      `select count(*)::int as waiting from pg_stat_activity where datname = current_database() and wait_event_type = 'Lock'`,
    );
    return waiting;
  }

  (process.env.DATABASE_URL ? it : it.skip)('should keep an AM another source commits while the run is writing the rows', async () => {
    // Arrange: one customer with no AM yet and one whose AM this service set, both with a new booking.
    await givenCustomerFromAnotherSource(ds, { email: 'no-am@example.com' });
    await givenCustomerFromAnotherSource(ds, {
      email: 'ours@example.com', assigned_am: 'Old Host', assigned_am_email: 'old@vendor.test', assigned_am_source: 'calendly',
    });
    for (const email of ['no-am@example.com', 'ours@example.com']) {
      await givenBooking(ds, { email, start: daysFromAsOf(-1), organizerName: 'Ann Host', organizerEmail: 'ann@vendor.test' });
    }
    // A CRM sync sets both AMs in a transaction it has not committed when the run starts.
    const crm = new Client({ connectionString: db.url });
    await crm.connect();
    try {
      await crm.query('begin');
      await crm.query(`update unified_customers set assigned_am = 'Cara CRM', assigned_am_email = 'cara@crm.test',
        assigned_am_source = 'hubspot' where email in ('no-am@example.com', 'ours@example.com')`);

      // Act: the run plans without seeing the CRM's values and then waits on their row locks;
      // the CRM commits while it waits.
      const run = runModelsAt(ds);
      const failed = run.then(() => undefined, (error: unknown) => error);
      const deadline = Date.now() + 20_000;
      while ((await runsWaitingOnALock()) === 0 && Date.now() < deadline) {
        const settled = await Promise.race([failed, new Promise((tick) => setTimeout(tick, 20, 'pending'))]);
        if (settled !== 'pending') break;
      }
      expect(await runsWaitingOnALock()).toBe(1);
      await crm.query('commit');
      await run;
    } finally {
      await crm.end();
    }

    // Assert: the CRM's AM stands on both rows, and the run did write their figures.
    for (const email of ['no-am@example.com', 'ours@example.com']) {
      expect(await customerRow(ds, email)).toMatchObject({
        assigned_am: 'Cara CRM', assigned_am_email: 'cara@crm.test', assigned_am_source: 'hubspot',
        calendly_organizer_name: 'Ann Host', total_calls_booked: 1,
      });
    }
  });
});
