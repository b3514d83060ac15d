import { parseWebhookDelivery } from '../../../src/webhooks/webhook-delivery';
import { deliveryRecords } from '../../../src/webhooks/delivery-records';
import { buildInvitee, buildNoShow } from '../../factories/invitee.factory';
import { buildScheduledEvent } from '../../factories/scheduled-event.factory';
import { buildWebhookDelivery } from '../../factories/webhook-delivery.factory';

const event = buildScheduledEvent();
const invitee = buildInvitee({ event: event.uri });

describe('parseWebhookDelivery', () => {
  it.each(['invitee.created', 'invitee.canceled', 'invitee_no_show.created', 'invitee_no_show.deleted'])(
    'should read the invitee and its scheduled event from a %s delivery', (name) => {
      // Act
      const delivery = parseWebhookDelivery(buildWebhookDelivery(name, { invitee, scheduledEvent: event }));
      // Assert
      expect(delivery).toEqual({ kind: 'invitee', event: name, invitee, inviteeUri: invitee.uri, scheduledEvent: event });
    });

  it('should ignore an event type the service does not use', () => {
    const delivery = parseWebhookDelivery(buildWebhookDelivery('routing_form_submission.created', { payload: { uri: 'x' } }));
    expect(delivery).toEqual({ kind: 'ignored', event: 'routing_form_submission.created' });
  });

  it('should name the invitee to read when a no-show delivery carries only the no-show resource', () => {
    // Arrange: { uri, invitee (URI), created_at }, as an invitee no-show resource is
    const body = buildWebhookDelivery('invitee_no_show.created', { payload: { uri: 'https://api.calendly.com/invitee_no_shows/NS1', invitee: invitee.uri, created_at: '2026-03-01T12:00:00Z' } });
    // Act / Assert
    expect(parseWebhookDelivery(body)).toEqual({ kind: 'invitee', event: 'invitee_no_show.created', invitee: null, inviteeUri: invitee.uri, scheduledEvent: null });
  });

  it('should take the invitee nested in a no-show resource', () => {
    const body = buildWebhookDelivery('invitee_no_show.created', { payload: { uri: 'https://api.calendly.com/invitee_no_shows/NS1', invitee } });
    expect(parseWebhookDelivery(body)).toMatchObject({ kind: 'invitee', invitee, inviteeUri: invitee.uri, scheduledEvent: null });
  });

  it.each([
    ['null', null],
    ['an array', []],
    ['no event name', { payload: {} }],
    ['no payload', { event: 'invitee.created' }],
    ['a payload that is not an object', { event: 'invitee.created', payload: 'x' }],
  ])('should call %s not a delivery', (_label, body) => {
    expect(parseWebhookDelivery(body)).toBeNull();
  });
});

describe('deliveryRecords', () => {
  it('should map the invitee and its event to the rows a sync would land', () => {
    // Act
    const records = deliveryRecords({ ...invitee }, { ...event });
    // Assert
    expect(records.rejected).toEqual([]);
    expect(records.events).toMatchObject([{ uri: event.uri, status: 'active', start_time: event.start_time, updated_at: event.updated_at }]);
    expect(records.invitees).toMatchObject([{ uri: invitee.uri, event_uri: event.uri, email: invitee.email, no_show_uri: null }]);
  });

  it('should land an invitee without its event under the event it names', () => {
    const records = deliveryRecords({ ...invitee, no_show: buildNoShow() }, null);
    expect(records.events).toEqual([]);
    expect(records.invitees).toMatchObject([{ uri: invitee.uri, event_uri: event.uri, no_show_uri: expect.any(String) }]);
  });

  it('should refuse an invitee without an email, as polling does', () => {
    const records = deliveryRecords({ ...invitee, email: '  ' }, { ...event });
    expect(records.invitees).toEqual([]);
    expect(records.rejected).toMatchObject([{ recordType: 'invitee', uri: invitee.uri, reason: 'missing_email' }]);
  });

  it('should refuse the event and its invitee with it when the start_time is invalid', () => {
    const records = deliveryRecords({ ...invitee }, { ...event, start_time: '2026-02-30T10:00:00Z' });
    expect(records.events).toEqual([]);
    expect(records.invitees).toEqual([]);
    expect(records.rejected).toMatchObject([
      { recordType: 'scheduled_event', uri: event.uri, reason: 'invalid_start_time' },
      { recordType: 'invitee', uri: invitee.uri, reason: 'invalid_start_time' },
    ]);
  });

  it('should refuse an invitee that names no usable event when the delivery carries none', () => {
    const records = deliveryRecords({ ...invitee, event: 42 }, null);
    expect(records.rejected).toMatchObject([{ recordType: 'invitee', reason: 'missing_uri' }]);
  });
});
