import type { DataSource } from 'typeorm';
import {
  AS_OF, alertRows, daysFromAsOf, givenBooking, givenCustomerFromAnotherSource, useModelTestDatabase, runModelsAt,
} from './sql-models.helper';

// customer_alerts: conditions and lifecycle (metrics.md §3).
describe('customer_alerts (metrics.md §3)', () => {
  let ds: DataSource;
  useModelTestDatabase((ready) => {
    ds = ready;
  });

  const openTypes = async (email: string) =>
    (await alertRows(ds, email)).filter((a) => a.resolved_at === null).map((a) => a.alert_type).sort();

  it('should open low_show_rate below 50 with at least 3 bookings, and not at 50 or with 2 bookings', async () => {
    // 1 of 3 → 33.33 %
    await givenBooking(ds, { email: 'low@example.com', start: daysFromAsOf(-1) });
    await givenBooking(ds, { email: 'low@example.com', start: daysFromAsOf(-2), noShow: true });
    await givenBooking(ds, { email: 'low@example.com', start: daysFromAsOf(-3), eventStatus: 'canceled' });
    // exactly 50 % with 4 bookings
    await givenBooking(ds, { email: 'half@example.com', start: daysFromAsOf(-1) });
    await givenBooking(ds, { email: 'half@example.com', start: daysFromAsOf(-2) });
    await givenBooking(ds, { email: 'half@example.com', start: daysFromAsOf(-3), noShow: true });
    await givenBooking(ds, { email: 'half@example.com', start: daysFromAsOf(-4), noShow: true });
    // 0 % but only 2 bookings
    await givenBooking(ds, { email: 'two@example.com', start: daysFromAsOf(-1), noShow: true });
    await givenBooking(ds, { email: 'two@example.com', start: daysFromAsOf(2) });

    const { runId } = await runModelsAt(ds);

    const [alert] = await alertRows(ds, 'low@example.com');
    expect(alert).toMatchObject({
      alert_type: 'low_show_rate', opened_at: AS_OF, last_seen_at: AS_OF, resolved_at: null,
      opened_run_id: runId, last_seen_run_id: runId, resolved_run_id: null,
      details: { show_rate: 33.33, total_calls_booked: 3, calls_completed: 1, calls_no_show: 1, calls_canceled: 1 },
    });
    expect(await openTypes('half@example.com')).toEqual([]);
    expect(await openTypes('two@example.com')).toEqual([]);
  });

  it('should open no_show_streak at a streak of 3, not 2', async () => {
    for (const d of [-1, -2, -3]) await givenBooking(ds, { email: 'three@example.com', start: daysFromAsOf(d), noShow: true });
    await givenBooking(ds, { email: 'three@example.com', start: daysFromAsOf(-4) });
    for (const d of [-1, -2]) await givenBooking(ds, { email: 'pair@example.com', start: daysFromAsOf(d), noShow: true });
    for (const d of [-3, -4, -5]) await givenBooking(ds, { email: 'pair@example.com', start: daysFromAsOf(d) });

    await runModelsAt(ds);

    expect(await openTypes('three@example.com')).toEqual(['low_show_rate', 'no_show_streak']);
    expect((await alertRows(ds, 'three@example.com')).find((a) => a.alert_type === 'no_show_streak')?.details)
      .toEqual({ current_no_show_streak: 3, calls_no_show: 3, last_call_date: '2026-02-25T12:00:00+00:00' });
    expect(await openTypes('pair@example.com')).toEqual([]);
  });

  it('should open no_upcoming_calls for a high-value customer with no Calendly data at all', async () => {
    await givenCustomerFromAnotherSource(ds, { email: 'vip@example.com', is_high_value: true });
    await givenCustomerFromAnotherSource(ds, { email: 'regular@example.com', is_high_value: false });
    await givenCustomerFromAnotherSource(ds, { email: 'unknown@example.com' });

    await runModelsAt(ds);

    expect(await alertRows(ds)).toEqual([expect.objectContaining({
      customer_email: 'vip@example.com', alert_type: 'no_upcoming_calls',
      details: { is_high_value: true, next_call_date: null, last_call_date: null },
    })]);
  });

  it('should not open no_upcoming_calls for a high-value customer with a call coming up', async () => {
    await givenCustomerFromAnotherSource(ds, { email: 'vip@example.com', is_high_value: true });
    await givenBooking(ds, { email: 'vip@example.com', start: daysFromAsOf(5) });

    await runModelsAt(ds);

    expect(await alertRows(ds)).toEqual([]);
  });

  it('should open am_change only when the HubSpot owner and the organizer really differ', async () => {
    await givenCustomerFromAnotherSource(ds, { email: 'same@example.com', hubspot_owner_email: ' Olivia@Vendor.TEST ' });
    await givenBooking(ds, { email: 'same@example.com', start: daysFromAsOf(-1), organizerEmail: 'olivia@vendor.test' });
    await givenCustomerFromAnotherSource(ds, { email: 'moved@example.com', hubspot_owner_email: 'hubert@vendor.test' });
    await givenBooking(ds, { email: 'moved@example.com', start: daysFromAsOf(-1), organizerEmail: 'olivia@vendor.test' });
    await givenCustomerFromAnotherSource(ds, { email: 'no-owner@example.com', hubspot_owner_email: '  ' });
    await givenBooking(ds, { email: 'no-owner@example.com', start: daysFromAsOf(-1), organizerEmail: 'olivia@vendor.test' });
    await givenCustomerFromAnotherSource(ds, { email: 'no-organizer@example.com', hubspot_owner_email: 'hubert@vendor.test' });
    await givenBooking(ds, { email: 'no-organizer@example.com', start: daysFromAsOf(-1), organizerName: null, organizerEmail: null });

    await runModelsAt(ds);

    expect(await alertRows(ds)).toEqual([expect.objectContaining({
      customer_email: 'moved@example.com', alert_type: 'am_change',
      details: { hubspot_owner_email: 'hubert@vendor.test', calendly_organizer_email: 'olivia@vendor.test' },
    })]);
  });

  it('should keep one alert row open while the condition holds, refreshing last_seen_at and details', async () => {
    for (const d of [-1, -2, -3]) await givenBooking(ds, { email: 'ns@example.com', start: daysFromAsOf(d), noShow: true });
    const first = await runModelsAt(ds);
    const [opened] = await alertRows(ds, 'ns@example.com').then((rows) => rows.filter((a) => a.alert_type === 'no_show_streak'));
    await givenBooking(ds, { email: 'ns@example.com', start: daysFromAsOf(0.5), noShow: true });

    const second = await runModelsAt(ds, daysFromAsOf(1));

    const streakAlerts = (await alertRows(ds, 'ns@example.com')).filter((a) => a.alert_type === 'no_show_streak');
    expect(streakAlerts).toEqual([expect.objectContaining({
      id: opened.id, opened_at: AS_OF, opened_run_id: first.runId, last_seen_at: daysFromAsOf(1), last_seen_run_id: second.runId,
      resolved_at: null, details: expect.objectContaining({ current_no_show_streak: 4 }),
    })]);
  });

  it('should resolve an alert when its condition stops, and open a new row when it returns', async () => {
    await givenCustomerFromAnotherSource(ds, { email: 'vip@example.com', is_high_value: true });
    const run1 = await runModelsAt(ds, AS_OF);
    const [first] = await alertRows(ds, 'vip@example.com');

    // a call gets booked: resolved
    const booking = await givenBooking(ds, { email: 'vip@example.com', start: daysFromAsOf(3) });
    const run2 = await runModelsAt(ds, daysFromAsOf(1));
    expect(await alertRows(ds, 'vip@example.com')).toEqual([expect.objectContaining({
      id: first.id, opened_at: AS_OF, last_seen_at: AS_OF, opened_run_id: run1.runId,
      resolved_at: daysFromAsOf(1), resolved_run_id: run2.runId,
    })]);

    // still resolved while it does not hold
    await runModelsAt(ds, daysFromAsOf(2));
    expect((await alertRows(ds, 'vip@example.com'))[0].resolved_at).toEqual(daysFromAsOf(1));

    // the call is canceled: a new alert opens, the old one stays resolved
    await ds.query(`update calendly_scheduled_events set status = 'canceled' where uri = $1`, [booking.eventUri]);
    const run4 = await runModelsAt(ds, daysFromAsOf(2.5));
    const rows = await alertRows(ds, 'vip@example.com');
    expect(rows).toHaveLength(2);
    expect(rows[0]).toMatchObject({ id: first.id, resolved_at: daysFromAsOf(1) });
    expect(rows[1]).toMatchObject({
      alert_type: 'no_upcoming_calls', opened_at: daysFromAsOf(2.5), last_seen_at: daysFromAsOf(2.5), resolved_at: null,
      opened_run_id: run4.runId,
    });
    expect(rows[1].id).not.toBe(first.id);
  });

  it('should resolve the alerts of a customer whose bookings left the window', async () => {
    for (const d of [-1, -2, -3]) await givenBooking(ds, { email: 'old@example.com', start: daysFromAsOf(d), noShow: true });
    await runModelsAt(ds);
    expect(await openTypes('old@example.com')).toEqual(['low_show_rate', 'no_show_streak']);

    await runModelsAt(ds, daysFromAsOf(120));

    const rows = await alertRows(ds, 'old@example.com');
    expect(rows.map((a) => [a.alert_type, a.resolved_at])).toEqual([
      ['low_show_rate', daysFromAsOf(120)], ['no_show_streak', daysFromAsOf(120)],
    ]);
  });

  it('should leave alert rows exactly as they were when the same run is repeated', async () => {
    await givenCustomerFromAnotherSource(ds, { email: 'vip@example.com', is_high_value: true, hubspot_owner_email: 'h@vendor.test' });
    for (const d of [-1, -2, -3]) await givenBooking(ds, { email: 'vip@example.com', start: daysFromAsOf(d), noShow: true });
    const first = await runModelsAt(ds);
    const before = await alertRows(ds);

    await runModelsAt(ds);

    const after = await alertRows(ds);
    expect(before.map((a) => a.alert_type)).toEqual(['am_change', 'low_show_rate', 'no_show_streak', 'no_upcoming_calls']);
    // the repeated run refreshes last_seen_run_id only: same ids, same times, same details
    expect(after).toEqual(before.map((a) => ({ ...a, last_seen_run_id: first.runId + 1 })));
  });
});
