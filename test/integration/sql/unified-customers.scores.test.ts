import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { DataSource } from 'typeorm';
import { MODEL_MANIFEST, manifestFilePath, type ModelManifest } from '../../../src/sql-runner/model-manifest';
import { customerRow, daysFromAsOf, givenBooking, useModelTestDatabase, runModelsAt } from './sql-models.helper';

const q = (factor: string, points: number) => ({ score: 'quality', factor, points });
const h = (factor: string, points: number) => ({ score: 'health', factor, points });

interface PointsChange { score: string; factor: string; from: number; to: number }

/**
 * The manifest with each factor's points changed where the models write them; each factor's
 * points must be written in exactly one place, or the change would leave a copy behind.
 */
function manifestWithPoints(changes: PointsChange[]): ModelManifest {
  const dir = mkdtempSync(join(tmpdir(), 'score-points-'));
  const found = new Map(changes.map((c) => [c, 0]));
  const models = MODEL_MANIFEST.models.map((entry) => {
    let sql = readFileSync(manifestFilePath(entry), 'utf8');
    for (const change of changes) {
      const written = `"score": "${change.score}", "factor": "${change.factor}", "points": ${change.from}}`;
      const parts = sql.split(written);
      found.set(change, found.get(change)! + parts.length - 1);
      sql = parts.join(written.replace(`${change.from}}`, `${change.to}}`));
    }
    const path = join(dir, `${entry.name.replace('/', '__')}.sql`);
    writeFileSync(path, sql);
    return { ...entry, path };
  });
  expect([...found.values()]).toEqual(changes.map(() => 1));
  return { ...MODEL_MANIFEST, models };
}

// calendly_quality_points, calendly_health_points and calendly_score_factors (metrics.md §2).
describe('unified_customers scores (metrics.md §2)', () => {
  let ds: DataSource;
  useModelTestDatabase((ready) => {
    ds = ready;
  });

  async function scoresOf(email: string) {
    const row = await customerRow(ds, email);
    return { quality: row?.calendly_quality_points, health: row?.calendly_health_points, factors: row?.calendly_score_factors };
  }

  it('should give the maximum to a reliable customer with a recent call and one coming up', async () => {
    for (const d of [-1, -20, -40, -60, -80]) await givenBooking(ds, { email: 'best@example.com', start: daysFromAsOf(d) });
    await givenBooking(ds, { email: 'best@example.com', start: daysFromAsOf(7) });

    await runModelsAt(ds);

    expect(await scoresOf('best@example.com')).toEqual({
      quality: 40, health: 15,
      factors: [q('has_booking', 15), q('show_rate_above_80', 10), q('has_upcoming_call', 10), q('called_in_last_30_days', 5),
        h('has_upcoming_call', 5), h('show_rate_above_80', 5), h('called_in_last_14_days', 5)],
    });
  });

  it('should give the minimum to a customer on a no-show streak with no completed call', async () => {
    for (const d of [-1, -2, -3]) await givenBooking(ds, { email: 'worst@example.com', start: daysFromAsOf(d), noShow: true });

    await runModelsAt(ds);

    expect(await scoresOf('worst@example.com')).toEqual({
      quality: 15, health: -35,
      factors: [q('has_booking', 15), h('show_rate_below_50', -10), h('no_show_streak_3_plus', -15), h('no_call_in_90_days', -10)],
    });
  });

  it('should not add the show-rate bonus at exactly 80, nor the penalty at exactly 50', async () => {
    for (const d of [-20, -21, -22, -23]) await givenBooking(ds, { email: 'eighty@example.com', start: daysFromAsOf(d) });
    await givenBooking(ds, { email: 'eighty@example.com', start: daysFromAsOf(-24), noShow: true });
    await givenBooking(ds, { email: 'fifty@example.com', start: daysFromAsOf(-20) });
    await givenBooking(ds, { email: 'fifty@example.com', start: daysFromAsOf(-21), noShow: true });

    await runModelsAt(ds);

    expect(await customerRow(ds, 'eighty@example.com')).toMatchObject({ show_rate: 80 });
    expect(await scoresOf('eighty@example.com')).toEqual({
      quality: 20, health: 0, factors: [q('has_booking', 15), q('called_in_last_30_days', 5)],
    });
    expect(await scoresOf('fifty@example.com')).toEqual({
      quality: 20, health: 0, factors: [q('has_booking', 15), q('called_in_last_30_days', 5)],
    });
  });

  it('should count a last call exactly 30 (and 14) days ago as recent, and a millisecond earlier as not', async () => {
    await givenBooking(ds, { email: 'd30@example.com', start: daysFromAsOf(-30) });
    await givenBooking(ds, { email: 'd30-@example.com', start: new Date(daysFromAsOf(-30).getTime() - 1) });
    await givenBooking(ds, { email: 'd14@example.com', start: daysFromAsOf(-14) });
    await givenBooking(ds, { email: 'd14-@example.com', start: new Date(daysFromAsOf(-14).getTime() - 1) });

    await runModelsAt(ds);

    expect(await scoresOf('d30@example.com')).toMatchObject({ quality: 40 - 10, health: 5 });
    expect(await scoresOf('d30-@example.com')).toMatchObject({ quality: 25, health: 5 });
    expect(await scoresOf('d14@example.com')).toMatchObject({ quality: 30, health: 10 });
    expect((await scoresOf('d14-@example.com')).factors).toEqual([
      q('has_booking', 15), q('show_rate_above_80', 10), q('called_in_last_30_days', 5), h('show_rate_above_80', 5),
    ]);
  });

  it('should penalise a last call older than 90 days but not one exactly 90 days ago', async () => {
    // a 120-day lookback lets an older call into the window
    await givenBooking(ds, { email: 'd90@example.com', start: daysFromAsOf(-90) });
    await givenBooking(ds, { email: 'd91@example.com', start: daysFromAsOf(-91) });

    await runModelsAt(ds, undefined, { lookbackDays: 120 });

    expect(await scoresOf('d90@example.com')).toEqual({
      quality: 25, health: 5, factors: [q('has_booking', 15), q('show_rate_above_80', 10), h('show_rate_above_80', 5)],
    });
    expect(await scoresOf('d91@example.com')).toEqual({
      quality: 25, health: -5,
      factors: [q('has_booking', 15), q('show_rate_above_80', 10), h('show_rate_above_80', 5), h('no_call_in_90_days', -10)],
    });
  });

  it('should score a customer with only an upcoming call', async () => {
    await givenBooking(ds, { email: 'soon@example.com', start: daysFromAsOf(3) });

    await runModelsAt(ds);

    expect(await scoresOf('soon@example.com')).toEqual({
      quality: 25, health: -5,
      factors: [q('has_booking', 15), q('has_upcoming_call', 10), h('has_upcoming_call', 5), h('no_call_in_90_days', -10)],
    });
  });

  it('should take every figure of a factor from its one definition: its entry, the sums and the reset row', async () => {
    // Arrange: one customer with a recent completed call, and one whose bookings left the window
    await givenBooking(ds, { email: 'recent@example.com', start: daysFromAsOf(-1) });
    await givenBooking(ds, { email: 'left@example.com', start: daysFromAsOf(-1) });
    const manifest = manifestWithPoints([
      { score: 'quality', factor: 'has_booking', from: 15, to: 16 },
      { score: 'health', factor: 'no_call_in_90_days', from: -10, to: -11 },
    ]);
    await runModelsAt(ds, undefined, { manifest });
    await ds.query(`delete from calendly_event_invitees where email = 'left@example.com'`);

    // Act
    await runModelsAt(ds, daysFromAsOf(1), { manifest });

    // Assert
    expect(await scoresOf('recent@example.com')).toEqual({
      quality: 31, health: 10,
      factors: [q('has_booking', 16), q('show_rate_above_80', 10), q('called_in_last_30_days', 5),
        h('show_rate_above_80', 5), h('called_in_last_14_days', 5)],
    });
    expect(await scoresOf('left@example.com')).toEqual({ quality: 0, health: -11, factors: [h('no_call_in_90_days', -11)] });
  });
});
