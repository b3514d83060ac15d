import { createHash } from 'node:crypto';
import { readFileSync, writeFileSync, mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { DataSource } from 'typeorm';
import { sqlDir } from '../../../src/db/sql-dir';
import { MODEL_MANIFEST } from '../../../src/sql-runner/model-manifest';
import { runModels } from '../../../src/sql-runner/run-models';
import {
  AS_OF, alertRows, customerRows, daysFromAsOf, givenBooking, givenCustomerFromAnotherSource, markNoShow,
  useModelTestDatabase, runModelsAt,
} from './sql-models.helper';

// The runner: what it records, the run figures (metrics.md §4), idempotence, and the data tests'
// rollback (metrics.md §5).
describe('runModels', () => {
  let ds: DataSource;
  useModelTestDatabase((ready) => {
    ds = ready;
  });

  it('should record every model, data test and the figures query, in manifest order, with the sha256 of each file', async () => {
    const { models } = await runModelsAt(ds);

    const entries = [...MODEL_MANIFEST.models, ...MODEL_MANIFEST.dataTests, MODEL_MANIFEST.figures];
    expect(models.map((m) => m.name)).toEqual(entries.map((e) => e.name));
    expect(models[0].name).toBe('staging/stg_sync__run_params');
    expect(models.map((m) => m.name)).toContain('marts/unified_customers');
    for (const [i, entry] of entries.entries()) {
      const sql = readFileSync(join(sqlDir(), entry.path), 'utf8');
      expect(models[i].checksum).toBe(createHash('sha256').update(sql).digest('hex'));
      expect(Number.isInteger(models[i].durationMs) && models[i].durationMs >= 0).toBe(true);
    }
  });

  it('should compute the run figures over the customers with a booking in the window', async () => {
    // a: 1 completed, 1 no-show, 1 upcoming → 50 %; b: 2 completed of 3 due → 66.67 %; c: upcoming only → NULL;
    // d: rescheduled only (counted, no rate); e: booked outside the window (not counted)
    await givenBooking(ds, { email: 'a@example.com', start: daysFromAsOf(-1) });
    await givenBooking(ds, { email: 'a@example.com', start: daysFromAsOf(-2), noShow: true });
    await givenBooking(ds, { email: 'a@example.com', start: daysFromAsOf(2) });
    await givenBooking(ds, { email: 'b@example.com', start: daysFromAsOf(-1) });
    await givenBooking(ds, { email: 'b@example.com', start: daysFromAsOf(-2) });
    await givenBooking(ds, { email: 'b@example.com', start: daysFromAsOf(-3), eventStatus: 'canceled' });
    await givenBooking(ds, { email: 'c@example.com', start: daysFromAsOf(1) });
    await givenBooking(ds, { email: 'c@example.com', start: daysFromAsOf(5) });
    await givenBooking(ds, { email: 'c@example.com', start: daysFromAsOf(6), eventStatus: 'canceled' });
    await givenBooking(ds, { email: 'd@example.com', start: daysFromAsOf(-1), rescheduled: true });
    await givenBooking(ds, { email: 'e@example.com', start: daysFromAsOf(-100) });

    const { figures } = await runModelsAt(ds);

    // avg of 50 and 66.67 = 58.335 → 58.34 (numeric rounding, half away from zero)
    expect(figures).toEqual({ customersUpdated: 4, noShowsDetected: 1, upcomingCalls: 3, avgShowRate: 58.34 });
  });

  it('should change nothing when the same run is repeated', async () => {
    await givenCustomerFromAnotherSource(ds, { email: 'vip@example.com', is_high_value: true, hubspot_owner_email: 'x@vendor.test' });
    await givenBooking(ds, { email: 'vip@example.com', start: daysFromAsOf(-1), noShow: true });
    await givenBooking(ds, { email: 'zed@example.com', start: daysFromAsOf(-1) });
    await givenBooking(ds, { email: 'zed@example.com', start: daysFromAsOf(4) });
    const first = await runModelsAt(ds);
    const customersBefore = await customerRows(ds);
    const alertsBefore = await alertRows(ds);
    const [{ xmins: xminsBefore }] = await ds.query(`select string_agg(xmin::text, ',' order by email) as xmins from unified_customers`);

    const second = await runModelsAt(ds);

    expect(await customerRows(ds)).toEqual(customersBefore);
    // not even rewritten: the update skips rows whose values are unchanged
    const [{ xmins: xminsAfter }] = await ds.query(`select string_agg(xmin::text, ',' order by email) as xmins from unified_customers`);
    expect(xminsAfter).toBe(xminsBefore);
    expect((await alertRows(ds)).map(({ last_seen_run_id: _, ...a }) => a)).toEqual(alertsBefore.map(({ last_seen_run_id: _, ...a }) => a));
    expect(second.figures).toEqual(first.figures);
  });

  it('should roll back and keep the previous values when a data test finds a violating row', async () => {
    // Arrange: a successful first run, then a changed landing table
    const { inviteeUri } = await givenBooking(ds, { email: 'ok@example.com', start: daysFromAsOf(-1) });
    for (const d of [-2, -3, -4]) await givenBooking(ds, { email: 'streak@example.com', start: daysFromAsOf(d), noShow: true });
    await runModelsAt(ds);
    const customersBefore = await customerRows(ds);
    const alertsBefore = await alertRows(ds);
    await markNoShow(ds, inviteeUri);
    await givenBooking(ds, { email: 'new@example.com', start: daysFromAsOf(0.5) });
    // an extra, test-only data test that the second run's real output violates: it asserts no
    // customer has a no-show streak, which streak@example.com does
    const dir = mkdtempSync(join(tmpdir(), 'data-test-'));
    const path = join(dir, 'assert_no_customer_on_a_streak.sql');
    writeFileSync(path, 'select email, current_no_show_streak from unified_customers where current_no_show_streak > 0 -- trailing comment\n');
    const manifest = { ...MODEL_MANIFEST, dataTests: [...MODEL_MANIFEST.dataTests, { name: 'tests/assert_no_customer_on_a_streak', path }] };

    // Act
    const run = runModelsAt(ds, daysFromAsOf(1), { manifest });

    // Assert
    await expect(run).rejects.toMatchObject({ code: 'DATA_TEST_FAILED' });
    await expect(run).rejects.toThrow(
      /^data test tests\/assert_no_customer_on_a_streak failed: 2 rows, e\.g\. \{"email":"(ok|streak)@example\.com","current_no_show_streak":\d\}$/);
    expect(await customerRows(ds)).toEqual(customersBefore);
    expect(await alertRows(ds)).toEqual(alertsBefore);
  });

  it('should fail a real data test when another source wrote an impossible value into a shared column', async () => {
    // Arrange: a row this service never wrote, carrying a next call in the past (e.g. a bad import)
    await givenBooking(ds, { email: 'ok@example.com', start: daysFromAsOf(-1) });
    await runModelsAt(ds);
    const before = await customerRows(ds);
    await givenCustomerFromAnotherSource(ds, { email: 'imported@example.com', next_call_date: daysFromAsOf(-3) });
    await givenBooking(ds, { email: 'ok@example.com', start: daysFromAsOf(2) });

    // Act
    const run = runModelsAt(ds, daysFromAsOf(0.5));

    // Assert
    await expect(run).rejects.toMatchObject({ code: 'DATA_TEST_FAILED' });
    await expect(run).rejects.toThrow(/data test tests\/assert_next_call_date_after_as_of failed: 1 rows, e\.g\. \{"email":"imported@example\.com"/);
    expect((await customerRows(ds)).filter((r) => r.email === 'ok@example.com')).toEqual(before);
  });

  it('should refuse to run outside a transaction', async () => {
    const runner = ds.createQueryRunner();
    try {
      await expect(runModels(runner, { runId: 1, asOf: AS_OF, windowStart: daysFromAsOf(-90), windowEnd: daysFromAsOf(90) }))
        .rejects.toThrow(/inside a transaction/);
    } finally {
      await runner.release();
    }
  });

  it('should carry the run parameters into the models exactly (milliseconds kept), whatever the data holds', async () => {
    await givenBooking(ds, { email: "o'brien@example.com", start: daysFromAsOf(-1) });

    const { runId } = await runModelsAt(ds, new Date('2026-03-01T12:00:00.123Z'));

    const [row] = await customerRows(ds);
    expect(row).toMatchObject({ email: "o'brien@example.com", last_calendly_sync: new Date('2026-03-01T12:00:00.123Z') });
    expect(runId).toBeGreaterThan(0);
  });
});
