// Local scale check, not part of the suite (jest only picks up *.test.ts). Run on PostgreSQL with:
//   DATABASE_URL=postgres://postgres@127.0.0.1:5432/postgres NODE_OPTIONS="--experimental-vm-modules --disable-warning=ExperimentalWarning" \
//     npx jest --testMatch '**/scale.check.ts' test/integration/sql/scale.check.ts
// SCALE_BOOKINGS / SCALE_CUSTOMERS override the sizes (defaults 1,000,000 over 200,000).
import type { Database } from '../../../src/db/data-source';
import { AS_OF, openModelTestDatabase, runModelsAt } from './sql-models.helper';

const BOOKINGS = Number(process.env.SCALE_BOOKINGS ?? 1_000_000);
const CUSTOMERS = Number(process.env.SCALE_CUSTOMERS ?? 200_000);

describe('scale check', () => {
  let db: Database;
  beforeAll(async () => { db = await openModelTestDatabase(); }, 120_000);
  afterAll(async () => { await db.close(); });

  it(`should transform ${BOOKINGS} bookings over ${CUSTOMERS} customers in seconds`, async () => {
    const ds = db.dataSource;
    const load = Date.now();
    // one event per booking, start times over as_of ± 100 days (so some fall outside the window)
    await ds.query(`
      insert into calendly_scheduled_events
          (uri, uuid, status, start_time, organizer_name, organizer_email, updated_at, raw, last_seen_run_id)
      select 'https://api.calendly.com/scheduled_events/ev' || i, 'ev' || i,
             case when i % 20 = 0 then 'canceled' else 'active' end,
             $1::timestamptz + ((i::bigint * 7919) % (200 * 24 * 60)) * interval '1 minute' - interval '100 days',
             'Host ' || (i % 50), 'host' || (i % 50) || '@vendor.test', $1::timestamptz, '{}'::jsonb, 0
      from generate_series(1, $2::integer) as i`, [AS_OF, BOOKINGS]);
    await ds.query(`
      insert into calendly_event_invitees
          (uri, event_uri, email, status, is_rescheduled, no_show_uri, updated_at, raw, last_seen_run_id)
      select 'https://api.calendly.com/scheduled_events/ev' || i || '/invitees/inv' || i,
             'https://api.calendly.com/scheduled_events/ev' || i,
             case when i % 10 = 0 then ' User' || (i % $3::integer) || '@Example.com' || chr(9)
                  else 'user' || (i % $3::integer) || '@example.com' end,
             case when i % 33 = 0 then 'canceled' else 'active' end,
             i % 17 = 0,
             case when i % 9 = 0 then 'marked' end,
             $1::timestamptz, '{}'::jsonb, 0
      from generate_series(1, $2::integer) as i`, [AS_OF, BOOKINGS, CUSTOMERS]);
    // rows other sources own: some overlap the Calendly customers, some do not
    await ds.query(`
      insert into unified_customers (email, hubspot_owner_email, is_high_value)
      select 'user' || (i * 4) || '@example.com', 'host' || (i % 60) || '@vendor.test', i % 5 = 0
      from generate_series(1, $1::integer / 4) as i
      on conflict (email) do nothing`, [CUSTOMERS]);
    await ds.query('analyze');
    console.log(`loaded ${BOOKINGS} bookings in ${Date.now() - load} ms`);

    for (const [label, asOf] of [['first run (new customers)', AS_OF], ['same run again (nothing changes)', AS_OF],
      ['next run (as_of + 1 h)', new Date(AS_OF.getTime() + 3_600_000)]] as const) {
      const started = Date.now();
      const result = await runModelsAt(ds, asOf);
      console.log(`${label}: ${Date.now() - started} ms`, result.figures,
        result.models.map((m) => `${m.name}=${m.durationMs}`).join(' '));
    }
  }, 600_000);
});
