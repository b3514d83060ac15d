import type { DataSource } from 'typeorm';
import {
  customerRow, daysFromAsOf, givenBooking, givenCustomerFromAnotherSource, useModelTestDatabase, runModelsAt,
} from './sql-models.helper';

// unified_customers is shared: this service writes its own columns only, and sets the account
// manager only where no other source did (metrics.md §2).
describe('unified_customers shared-table ownership (metrics.md §2)', () => {
  let ds: DataSource;
  useModelTestDatabase(async (ready) => {
    ds = ready;
    // a column another sync owns, as it would exist in production
    await ds.query('alter table unified_customers add column billing_plan text');
  });

  it('should set the AM from the organizer with source calendly when the row has none', async () => {
    await givenCustomerFromAnotherSource(ds, { email: 'new-am@example.com', billing_plan: 'pro' });
    await givenBooking(ds, { email: 'new-am@example.com', start: daysFromAsOf(-1), organizerName: 'Ann Host', organizerEmail: 'ann@vendor.test' });
    await givenBooking(ds, { email: 'brand-new@example.com', start: daysFromAsOf(-1), organizerName: 'Ben Host', organizerEmail: 'ben@vendor.test' });

    await runModelsAt(ds);

    expect(await customerRow(ds, 'new-am@example.com')).toMatchObject({
      assigned_am: 'Ann Host', assigned_am_email: 'ann@vendor.test', assigned_am_source: 'calendly',
    });
    expect(await customerRow(ds, 'brand-new@example.com')).toMatchObject({
      assigned_am: 'Ben Host', assigned_am_email: 'ben@vendor.test', assigned_am_source: 'calendly',
    });
  });

  it('should treat a blank AM as none', async () => {
    await givenCustomerFromAnotherSource(ds, { email: 'blank@example.com', assigned_am: '  ', assigned_am_email: '', assigned_am_source: 'hubspot' });
    await givenBooking(ds, { email: 'blank@example.com', start: daysFromAsOf(-1), organizerName: 'Ann Host', organizerEmail: 'ann@vendor.test' });

    await runModelsAt(ds);

    expect(await customerRow(ds, 'blank@example.com')).toMatchObject({
      assigned_am: 'Ann Host', assigned_am_email: 'ann@vendor.test', assigned_am_source: 'calendly',
    });
  });

  it('should never overwrite an AM another source set', async () => {
    await givenCustomerFromAnotherSource(ds, {
      email: 'crm-am@example.com', assigned_am: 'Cara CRM', assigned_am_email: 'cara@vendor.test', assigned_am_source: 'hubspot',
    });
    await givenCustomerFromAnotherSource(ds, { email: 'no-source@example.com', assigned_am: 'Manual AM' });
    await givenCustomerFromAnotherSource(ds, { email: 'email-only@example.com', assigned_am_email: 'manual@vendor.test' });
    for (const email of ['crm-am@example.com', 'no-source@example.com', 'email-only@example.com']) {
      await givenBooking(ds, { email, start: daysFromAsOf(-1), organizerName: 'Ann Host', organizerEmail: 'ann@vendor.test' });
    }

    await runModelsAt(ds);

    expect(await customerRow(ds, 'crm-am@example.com')).toMatchObject({
      assigned_am: 'Cara CRM', assigned_am_email: 'cara@vendor.test', assigned_am_source: 'hubspot', calendly_organizer_name: 'Ann Host',
    });
    expect(await customerRow(ds, 'no-source@example.com')).toMatchObject({ assigned_am: 'Manual AM', assigned_am_source: null });
    expect(await customerRow(ds, 'email-only@example.com')).toMatchObject({ assigned_am: null, assigned_am_email: 'manual@vendor.test' });
  });

  it('should let an AM it set follow the organizer of the latest booking', async () => {
    await givenBooking(ds, { email: 'moves@example.com', start: daysFromAsOf(-10), organizerName: 'Ann Host', organizerEmail: 'ann@vendor.test' });
    await runModelsAt(ds);
    await givenBooking(ds, { email: 'moves@example.com', start: daysFromAsOf(2), organizerName: 'Ben Host', organizerEmail: 'ben@vendor.test' });

    await runModelsAt(ds, daysFromAsOf(1));

    expect(await customerRow(ds, 'moves@example.com')).toMatchObject({
      assigned_am: 'Ben Host', assigned_am_email: 'ben@vendor.test', assigned_am_source: 'calendly',
    });
  });

  it('should keep the AM when the booking has no organizer', async () => {
    await givenBooking(ds, { email: 'host-less@example.com', start: daysFromAsOf(-10), organizerName: 'Ann Host', organizerEmail: 'ann@vendor.test' });
    await runModelsAt(ds);
    await givenBooking(ds, { email: 'host-less@example.com', start: daysFromAsOf(-1), organizerName: null, organizerEmail: null });

    await runModelsAt(ds, daysFromAsOf(1));

    expect(await customerRow(ds, 'host-less@example.com')).toMatchObject({
      calendly_organizer_name: null, assigned_am: 'Ann Host', assigned_am_email: 'ann@vendor.test', assigned_am_source: 'calendly',
    });
  });

  it('should not touch columns other sources own', async () => {
    await givenCustomerFromAnotherSource(ds, {
      email: 'shared@example.com', hubspot_owner_email: 'Owner@Vendor.test', is_high_value: true, billing_plan: 'enterprise',
    });
    await givenBooking(ds, { email: 'shared@example.com', start: daysFromAsOf(-1) });

    await runModelsAt(ds);
    await ds.query('truncate calendly_event_invitees, calendly_scheduled_events');
    await runModelsAt(ds, daysFromAsOf(1));

    const [row] = await ds.query(`select hubspot_owner_email, is_high_value, billing_plan, total_calls_booked
      from unified_customers where email = 'shared@example.com'`);
    expect(row).toEqual({ hubspot_owner_email: 'Owner@Vendor.test', is_high_value: true, billing_plan: 'enterprise', total_calls_booked: 0 });
  });
});
