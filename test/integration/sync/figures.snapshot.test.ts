import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import type { Database } from '../../../src/db/data-source';
import { startSimulator, type Simulator } from '../../../src/simulator/simulator.server';
import { openTestDatabase } from '../../helpers/test-db';
import { coordinatorFor, NOW, syncOnce } from './sync-test.helper';

// The figures of two syncs (the first, and the next scheduled one 4 h later) of the simulator's
// default organisation (the demo's seed and size), compared with the committed ones byte for byte.
// A refactoring must leave them exactly as they are; a change of the rules shows here as a diff of
// the fixture. `UPDATE_FIGURES=1 npx jest figures.snapshot` writes the fixture anew.
const FIXTURE = join(__dirname, '../../fixtures/figures/default-organisation.json');
const FOUR_HOURS = 4 * 3_600_000;

const FIGURE_QUERIES = {
  sync_runs: `select id, trigger, status, as_of, window_start, window_end, error, events_processed,
                     invitees_processed, customers_updated, no_shows_detected, upcoming_calls, avg_show_rate,
                     records_rejected
              from sync_runs order by id`,
  unified_customers: `select email, total_calls_booked, calls_completed, calls_no_show, calls_canceled,
                             calls_rescheduled, calls_upcoming, show_rate, last_call_date, next_call_date,
                             current_no_show_streak, calendly_organizer_name, calendly_organizer_email,
                             assigned_am, assigned_am_email, assigned_am_source, calendly_user_id,
                             calendly_quality_points, calendly_health_points, calendly_score_factors,
                             last_calendly_sync
                      from unified_customers order by email`,
  customer_alerts: `select customer_email, alert_type, details, opened_at, last_seen_at, resolved_at,
                           opened_run_id, last_seen_run_id, resolved_run_id
                    from customer_alerts order by customer_email, alert_type, opened_at`,
  calendly_rejected_records: `select run_id, record_type, uri, reason from calendly_rejected_records
                              order by run_id, record_type, uri, reason`,
};

async function figures(db: Database): Promise<string> {
  // One line per row, so a changed figure shows as a one-line diff of the fixture.
  const lines: string[] = [];
  for (const [table, sql] of Object.entries(FIGURE_QUERIES)) {
    lines.push(`# ${table}`);
    for (const row of await db.dataSource.query(sql)) lines.push(JSON.stringify(row));
  }
  return `${lines.join('\n')}\n`;
}

describe('figures of the default organisation', () => {
  let db: Database;
  let simulator: Simulator;

  beforeAll(async () => {
    db = await openTestDatabase();
    simulator = await startSimulator({ seed: 42, events: 2000, now: NOW });
  });

  afterAll(async () => {
    await simulator.close();
    await db.close();
  });

  it('are byte-identical to the committed figures after a first and a scheduled run', async () => {
    const { coordinator } = coordinatorFor(db, simulator);
    expect((await syncOnce(coordinator, NOW)).status).toBe('succeeded');
    expect((await syncOnce(coordinator, new Date(NOW.getTime() + FOUR_HOURS))).status).toBe('succeeded');

    const actual = await figures(db);
    if (process.env.UPDATE_FIGURES === '1') writeFileSync(FIXTURE, actual);
    expect(actual).toBe(readFileSync(FIXTURE, 'utf8'));
  }, 180_000);
});
