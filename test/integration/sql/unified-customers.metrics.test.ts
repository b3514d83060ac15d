import type { DataSource } from 'typeorm';
import {
  AS_OF, customerRow, customerRows, daysFromAsOf, givenBooking, givenCustomerFromAnotherSource, givenEvent,
  givenInvitee, markNoShow, useModelTestDatabase, runModelsAt,
} from './sql-models.helper';

// Bookings and per-customer figures: metrics.md §1 and §2, one rule per test.
describe('unified_customers metrics (metrics.md §1, §2)', () => {
  let ds: DataSource;
  useModelTestDatabase((ready) => {
    ds = ready;
  });

  it('should cancel only the invitee who left when a group event stays active', async () => {
    // Arrange
    const eventUri = await givenEvent(ds, { start: daysFromAsOf(-2) });
    await givenInvitee(ds, { eventUri, email: 'stays@example.com' });
    await givenInvitee(ds, { eventUri, email: 'left@example.com', status: 'canceled' });
    await givenInvitee(ds, { eventUri, email: 'also@example.com' });
    // Act
    await runModelsAt(ds);
    // Assert
    expect(await customerRow(ds, 'left@example.com')).toMatchObject({ total_calls_booked: 1, calls_canceled: 1, calls_completed: 0 });
    expect(await customerRow(ds, 'stays@example.com')).toMatchObject({ total_calls_booked: 1, calls_canceled: 0, calls_completed: 1 });
    expect(await customerRow(ds, 'also@example.com')).toMatchObject({ calls_completed: 1 });
  });

  it('should count every invitee of a canceled group event as canceled', async () => {
    const eventUri = await givenEvent(ds, { start: daysFromAsOf(-2), status: 'canceled' });
    await givenInvitee(ds, { eventUri, email: 'a@example.com' });
    await givenInvitee(ds, { eventUri, email: 'b@example.com' });

    await runModelsAt(ds);

    expect((await customerRows(ds)).map((r) => [r.email, r.calls_canceled, r.calls_completed]))
      .toEqual([['a@example.com', 1, 0], ['b@example.com', 1, 0]]);
  });

  it('should key customers by lower(trim(email)) whatever the case and surrounding whitespace', async () => {
    await givenBooking(ds, { email: 'Carol@Example.com ', start: daysFromAsOf(-1) });
    await givenBooking(ds, { email: 'carol@example.com', start: daysFromAsOf(-2) });
    await givenBooking(ds, { email: '\t CAROL@example.COM\r\n', start: daysFromAsOf(-3) });
    await givenBooking(ds, { email: '\u00a0carol@example.com\u000b\f', start: daysFromAsOf(-4) });

    await runModelsAt(ds);

    const rows = await customerRows(ds);
    expect(rows.map((r) => [r.email, r.total_calls_booked])).toEqual([['carol@example.com', 4]]);
  });

  it('should not make a customer of an email that is empty or whitespace only', async () => {
    await givenBooking(ds, { email: '', start: daysFromAsOf(-1) });
    await givenBooking(ds, { email: ' \t\r\n', start: daysFromAsOf(-1) });
    await givenBooking(ds, { email: null, start: daysFromAsOf(-1) });
    await givenBooking(ds, { email: 'real@example.com', start: daysFromAsOf(-1) });

    const { figures } = await runModelsAt(ds);

    expect((await customerRows(ds)).map((r) => r.email)).toEqual(['real@example.com']);
    expect(figures.customersUpdated).toBe(1);
  });

  it('should count a reschedule chain A→B→C as one booking and two reschedules', async () => {
    await givenBooking(ds, { email: 'dan@example.com', start: daysFromAsOf(-5), rescheduled: true, eventStatus: 'canceled' });
    await givenBooking(ds, { email: 'dan@example.com', start: daysFromAsOf(-3), rescheduled: true, eventStatus: 'canceled' });
    await givenBooking(ds, { email: 'dan@example.com', start: daysFromAsOf(-1) });

    await runModelsAt(ds);

    expect(await customerRow(ds, 'dan@example.com')).toMatchObject({
      total_calls_booked: 1, calls_rescheduled: 2, calls_canceled: 0, calls_completed: 1, show_rate: 100,
    });
  });

  it('should count a canceled future booking in total and canceled, not in the show rate or upcoming', async () => {
    await givenBooking(ds, { email: 'eve@example.com', start: daysFromAsOf(-1) });
    await givenBooking(ds, { email: 'eve@example.com', start: daysFromAsOf(3), eventStatus: 'canceled' });

    await runModelsAt(ds);

    expect(await customerRow(ds, 'eve@example.com')).toMatchObject({
      total_calls_booked: 2, calls_canceled: 1, calls_upcoming: 0, calls_completed: 1, show_rate: 100, next_call_date: null,
    });
  });

  it('should keep a canceled past booking in the show-rate denominator (calls_due = total minus future bookings)', async () => {
    await givenBooking(ds, { email: 'fay@example.com', start: daysFromAsOf(-1) });
    await givenBooking(ds, { email: 'fay@example.com', start: daysFromAsOf(-2), inviteeStatus: 'canceled' });

    await runModelsAt(ds);

    expect(await customerRow(ds, 'fay@example.com')).toMatchObject({ total_calls_booked: 2, calls_canceled: 1, show_rate: 50 });
  });

  it('should count a future booking as upcoming, neither completed nor due', async () => {
    await givenBooking(ds, { email: 'gus@example.com', start: daysFromAsOf(2) });

    await runModelsAt(ds);

    expect(await customerRow(ds, 'gus@example.com')).toMatchObject({
      total_calls_booked: 1, calls_upcoming: 1, calls_completed: 0, calls_no_show: 0, show_rate: null,
      next_call_date: daysFromAsOf(2), last_call_date: null,
    });
  });

  it('should treat a booking starting exactly at as_of as due, and one a millisecond later as upcoming', async () => {
    await givenBooking(ds, { email: 'due@example.com', start: AS_OF });
    await givenBooking(ds, { email: 'later@example.com', start: new Date(AS_OF.getTime() + 1) });

    await runModelsAt(ds);

    expect(await customerRow(ds, 'due@example.com')).toMatchObject({ calls_completed: 1, calls_upcoming: 0, last_call_date: AS_OF });
    expect(await customerRow(ds, 'later@example.com')).toMatchObject({ calls_completed: 0, calls_upcoming: 1 });
  });

  it('should round the show rate to 2 decimals and leave it NULL when nothing is due', async () => {
    await givenBooking(ds, { email: 'hal@example.com', start: daysFromAsOf(-1) });
    await givenBooking(ds, { email: 'hal@example.com', start: daysFromAsOf(-2) });
    await givenBooking(ds, { email: 'hal@example.com', start: daysFromAsOf(-3), noShow: true });
    await givenBooking(ds, { email: 'ida@example.com', start: daysFromAsOf(1) });
    await givenBooking(ds, { email: 'ida@example.com', start: daysFromAsOf(2), eventStatus: 'canceled' });

    await runModelsAt(ds);

    expect((await customerRow(ds, 'hal@example.com'))?.show_rate).toBe(66.67);
    expect((await customerRow(ds, 'ida@example.com'))?.show_rate).toBeNull();
  });

  it('should take last_call_date from the latest completed booking and next_call_date from the earliest upcoming one', async () => {
    await givenBooking(ds, { email: 'jo@example.com', start: daysFromAsOf(-10) });
    await givenBooking(ds, { email: 'jo@example.com', start: daysFromAsOf(-4) });
    await givenBooking(ds, { email: 'jo@example.com', start: daysFromAsOf(-1), noShow: true });
    await givenBooking(ds, { email: 'jo@example.com', start: daysFromAsOf(-0.5), eventStatus: 'canceled' });
    await givenBooking(ds, { email: 'jo@example.com', start: daysFromAsOf(1), eventStatus: 'canceled' });
    await givenBooking(ds, { email: 'jo@example.com', start: daysFromAsOf(6) });
    await givenBooking(ds, { email: 'jo@example.com', start: daysFromAsOf(3) });

    await runModelsAt(ds);

    expect(await customerRow(ds, 'jo@example.com')).toMatchObject({
      last_call_date: daysFromAsOf(-4), next_call_date: daysFromAsOf(3),
    });
  });

  it('should count the no-shows before the latest completed call, newest first, skipping canceled ones', async () => {
    // newest first: N, (canceled), N, C, N → streak 2
    await givenBooking(ds, { email: 'kim@example.com', start: daysFromAsOf(-1), noShow: true });
    await givenBooking(ds, { email: 'kim@example.com', start: daysFromAsOf(-2), noShow: true, eventStatus: 'canceled' });
    await givenBooking(ds, { email: 'kim@example.com', start: daysFromAsOf(-3), noShow: true });
    await givenBooking(ds, { email: 'kim@example.com', start: daysFromAsOf(-4) });
    await givenBooking(ds, { email: 'kim@example.com', start: daysFromAsOf(-5), noShow: true });
    // a future booking and a no-show mark on an upcoming call do not count either
    await givenBooking(ds, { email: 'kim@example.com', start: daysFromAsOf(2), noShow: true });
    // only no-shows: every one counts
    for (const d of [-1, -2, -3]) await givenBooking(ds, { email: 'lee@example.com', start: daysFromAsOf(d), noShow: true });

    await runModelsAt(ds);

    expect(await customerRow(ds, 'kim@example.com')).toMatchObject({ current_no_show_streak: 2, calls_no_show: 3, calls_canceled: 1 });
    expect(await customerRow(ds, 'lee@example.com')).toMatchObject({ current_no_show_streak: 3, calls_no_show: 3 });
  });

  it('should turn a completed call into a no-show when the mark arrives on a later run', async () => {
    const { inviteeUri } = await givenBooking(ds, { email: 'max@example.com', start: daysFromAsOf(-1) });
    const first = await runModelsAt(ds);
    expect(await customerRow(ds, 'max@example.com')).toMatchObject({ calls_completed: 1, calls_no_show: 0, show_rate: 100 });
    expect(first.figures).toMatchObject({ noShowsDetected: 0, avgShowRate: 100 });

    await markNoShow(ds, inviteeUri);
    const second = await runModelsAt(ds, daysFromAsOf(0.25));

    expect(await customerRow(ds, 'max@example.com')).toMatchObject({
      calls_completed: 0, calls_no_show: 1, show_rate: 0, current_no_show_streak: 1, last_call_date: null,
    });
    expect(second.figures).toMatchObject({ noShowsDetected: 1, avgShowRate: 0 });
  });

  it('should count bookings inside [as_of - 90 days, as_of + 90 days] only, both ends included', async () => {
    await givenBooking(ds, { email: 'win@example.com', start: daysFromAsOf(-90) });
    await givenBooking(ds, { email: 'win@example.com', start: daysFromAsOf(90) });
    await givenBooking(ds, { email: 'win@example.com', start: new Date(daysFromAsOf(-90).getTime() - 1) });
    await givenBooking(ds, { email: 'win@example.com', start: new Date(daysFromAsOf(90).getTime() + 1) });
    await givenBooking(ds, { email: 'outside@example.com', start: daysFromAsOf(-200) });

    await runModelsAt(ds);

    expect(await customerRow(ds, 'win@example.com')).toMatchObject({ total_calls_booked: 2, calls_completed: 1, calls_upcoming: 1 });
    expect(await customerRow(ds, 'outside@example.com')).toBeUndefined();
  });

  it('should take organizer and calendly_user_id from the latest non-canceled booking, future ones included', async () => {
    await givenBooking(ds, { email: 'ned@example.com', start: daysFromAsOf(-3), organizerName: 'Old Host', organizerEmail: 'old@vendor.test' });
    const latest = await givenBooking(ds, { email: 'ned@example.com', start: daysFromAsOf(4), organizerName: 'New Host', organizerEmail: 'new@vendor.test' });
    await givenBooking(ds, { email: 'ned@example.com', start: daysFromAsOf(5), eventStatus: 'canceled', organizerName: 'Canceled Host', organizerEmail: 'c@vendor.test' });
    await givenBooking(ds, { email: 'ned@example.com', start: daysFromAsOf(6), rescheduled: true, organizerName: 'Moved Host', organizerEmail: 'm@vendor.test' });

    await runModelsAt(ds);

    expect(await customerRow(ds, 'ned@example.com')).toMatchObject({
      calendly_organizer_name: 'New Host', calendly_organizer_email: 'new@vendor.test', calendly_user_id: latest.inviteeUri,
    });
  });

  it('should break a tie at the latest start by the smallest invitee uri, never choosing a canceled booking', async () => {
    const start = daysFromAsOf(2);
    const uri = (name: string) => `https://api.calendly.com/scheduled_events/tie/invitees/${name}`;
    await givenBooking(ds, { email: 'tia@example.com', start, uri: uri('tie-b'), organizerName: 'Host B', organizerEmail: 'b@vendor.test' });
    await givenBooking(ds, { email: 'tia@example.com', start, uri: uri('tie-a'), organizerName: 'Host A', organizerEmail: 'a@vendor.test' });
    await givenBooking(ds, { email: 'tia@example.com', start, uri: uri('tie-0'), eventStatus: 'canceled', organizerName: 'Gone', organizerEmail: 'g@vendor.test' });
    await givenBooking(ds, { email: 'tia@example.com', start: daysFromAsOf(3), uri: uri('tie-00'), rescheduled: true, organizerName: 'Moved' });

    await runModelsAt(ds);

    expect(await customerRow(ds, 'tia@example.com')).toMatchObject({
      calendly_organizer_name: 'Host A', calendly_organizer_email: 'a@vendor.test', calendly_user_id: uri('tie-a'),
    });
  });

  it('should take the organizer from the latest booking of any kind when all are canceled', async () => {
    await givenBooking(ds, { email: 'oli@example.com', start: daysFromAsOf(-3), eventStatus: 'canceled', organizerName: 'A', organizerEmail: 'a@vendor.test' });
    const latest = await givenBooking(ds, { email: 'oli@example.com', start: daysFromAsOf(-1), inviteeStatus: 'canceled', organizerName: 'B', organizerEmail: 'b@vendor.test' });

    await runModelsAt(ds);

    expect(await customerRow(ds, 'oli@example.com')).toMatchObject({
      calendly_organizer_name: 'B', calendly_organizer_email: 'b@vendor.test', calendly_user_id: latest.inviteeUri,
    });
  });

  it('should give a rescheduled-only customer its reschedules and every other figure empty', async () => {
    await givenBooking(ds, { email: 'pat@example.com', start: daysFromAsOf(-2), rescheduled: true, organizerEmail: 'x@vendor.test' });
    await givenBooking(ds, { email: 'pat@example.com', start: daysFromAsOf(2), rescheduled: true, eventStatus: 'canceled' });

    const { figures } = await runModelsAt(ds);

    expect(await customerRow(ds, 'pat@example.com')).toEqual(expect.objectContaining({
      total_calls_booked: 0, calls_completed: 0, calls_no_show: 0, calls_canceled: 0, calls_rescheduled: 2, calls_upcoming: 0,
      show_rate: null, last_call_date: null, next_call_date: null, current_no_show_streak: 0,
      calendly_organizer_name: null, calendly_organizer_email: null, calendly_user_id: null,
      assigned_am: null, assigned_am_email: null, assigned_am_source: null,
      calendly_quality_points: 0, calendly_health_points: -10,
      calendly_score_factors: [{ score: 'health', factor: 'no_call_in_90_days', points: -10 }],
      last_calendly_sync: AS_OF,
    }));
    expect(figures.customersUpdated).toBe(1);
  });

  it('should reset a customer whose bookings left the window, keeping the assigned AM', async () => {
    await givenBooking(ds, { email: 'quin@example.com', start: daysFromAsOf(-1), organizerName: 'Host Q', organizerEmail: 'q@vendor.test' });
    await givenBooking(ds, { email: 'quin@example.com', start: daysFromAsOf(5) });
    await runModelsAt(ds);
    expect(await customerRow(ds, 'quin@example.com')).toMatchObject({ total_calls_booked: 2, assigned_am: 'Olivia Host' });

    const later = daysFromAsOf(200);
    const { figures } = await runModelsAt(ds, later);

    expect(await customerRow(ds, 'quin@example.com')).toEqual(expect.objectContaining({
      total_calls_booked: 0, calls_completed: 0, calls_no_show: 0, calls_canceled: 0, calls_rescheduled: 0, calls_upcoming: 0,
      show_rate: null, last_call_date: null, next_call_date: null, current_no_show_streak: 0,
      calendly_organizer_name: null, calendly_organizer_email: null, calendly_user_id: null,
      assigned_am: 'Olivia Host', assigned_am_email: 'olivia@vendor.test', assigned_am_source: 'calendly',
      calendly_quality_points: 0, calendly_health_points: -10,
      calendly_score_factors: [{ score: 'health', factor: 'no_call_in_90_days', points: -10 }],
      last_calendly_sync: later,
    }));
    expect(figures).toEqual({ customersUpdated: 0, noShowsDetected: 0, upcomingCalls: 0, avgShowRate: null });
  });

  it('should leave a row it never wrote untouched when the customer has no booking', async () => {
    await givenCustomerFromAnotherSource(ds, { email: 'crm-only@example.com', hubspot_owner_email: 'o@vendor.test', is_high_value: false });

    await runModelsAt(ds);

    expect(await customerRow(ds, 'crm-only@example.com')).toEqual(expect.objectContaining({
      total_calls_booked: null, calendly_health_points: null, calendly_score_factors: null, last_calendly_sync: null,
    }));
  });

  it('should never delete a row', async () => {
    await givenCustomerFromAnotherSource(ds, { email: 'keep@example.com' });
    await givenBooking(ds, { email: 'gone@example.com', start: daysFromAsOf(-1) });
    await runModelsAt(ds);
    await ds.query('truncate calendly_event_invitees, calendly_scheduled_events');

    await runModelsAt(ds, daysFromAsOf(1));

    expect((await customerRows(ds)).map((r) => r.email)).toEqual(['gone@example.com', 'keep@example.com']);
  });
});
