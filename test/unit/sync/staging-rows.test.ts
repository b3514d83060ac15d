import type { CalendlyInvitee, CalendlyScheduledEvent } from '../../../src/calendly/calendly.types';
import { toEventRow, toInviteeRow } from '../../../src/sync/staging-rows';
import { buildInvitee, buildNoShow, buildRescheduledPair } from '../../factories/invitee.factory';
import { buildCancellation, buildMembership, buildScheduledEvent, FACTORY_HOST } from '../../factories/scheduled-event.factory';

type ValidatedEvent = Parameters<typeof toEventRow>[0];
type ValidatedInvitee = Parameters<typeof toInviteeRow>[0];

// The rows as the sync maps them: validation (eventRejection, inviteeRejection) has already let these payloads through.
const eventRowOf = (event: CalendlyScheduledEvent) => toEventRow(event as ValidatedEvent);
const inviteeRowOf = (invitee: CalendlyInvitee, eventUri = invitee.event) => toInviteeRow(invitee as ValidatedInvitee, eventUri);

// A timestamp the one validity check refuses: 30 February does not exist.
const NOT_AN_INSTANT = '2026-02-30T10:00:00Z';

describe('toEventRow', () => {
  it('should key the row by the uri and take the uuid from its last path segment', () => {
    // Arrange
    const event = buildScheduledEvent({ uri: 'https://api.calendly.com/scheduled_events/EVTKEY0000000001' });

    // Act
    const row = eventRowOf(event);

    // Assert
    expect(row).toMatchObject({ uri: event.uri, uuid: 'EVTKEY0000000001' });
  });

  it('should keep the name, status and start_time as served', () => {
    const event = buildScheduledEvent({ name: 'Quarterly Business Review', status: 'canceled', start_time: '2026-01-05T09:00:00.000000Z' });

    expect(eventRowOf(event)).toMatchObject({ name: 'Quarterly Business Review', status: 'canceled', start_time: '2026-01-05T09:00:00.000000Z' });
  });

  it('should read a name that is not a string as absent', () => {
    const event = buildScheduledEvent({ name: 42 as never });

    expect(eventRowOf(event).name).toBeNull();
  });

  it('should keep the end_time when it is a valid timestamp', () => {
    const event = buildScheduledEvent({ end_time: '2026-03-02T16:15:00.000000Z' });

    expect(eventRowOf(event).end_time).toBe('2026-03-02T16:15:00.000000Z');
  });

  it('should read an end_time that is not a real instant as absent', () => {
    const event = buildScheduledEvent({ end_time: NOT_AN_INSTANT });

    expect(eventRowOf(event).end_time).toBeNull();
  });

  it('should take the event type uri from event_type', () => {
    const event = buildScheduledEvent({ event_type: 'https://api.calendly.com/event_types/ETTYPE0000000001' });

    expect(eventRowOf(event).event_type_uri).toBe('https://api.calendly.com/event_types/ETTYPE0000000001');
  });

  it('should read an event_type that is not a string as absent', () => {
    const event = buildScheduledEvent({ event_type: { uri: 'x' } as never });

    expect(eventRowOf(event).event_type_uri).toBeNull();
  });

  it('should take the organizer from the first membership when the event has co-hosts', () => {
    const host = buildMembership({ name: 'Jonas Okafor', email: 'jonas.okafor@acme-success.com' });
    const coHost = buildMembership({ name: 'Priya Rahman', email: 'priya.rahman@acme-success.com' });
    const event = buildScheduledEvent({ event_memberships: [host, coHost] });

    expect(eventRowOf(event)).toMatchObject({
      organizer_user_uri: host.user, organizer_email: 'jonas.okafor@acme-success.com', organizer_name: 'Jonas Okafor',
    });
  });

  it.each([
    ['empty', []], ['not a list', { user: FACTORY_HOST.user }], ['a list of a non-object', ['maya']],
  ])('should leave the organizer absent when event_memberships is %s', (_label, memberships) => {
    const event = buildScheduledEvent({ event_memberships: memberships as never });

    expect(eventRowOf(event)).toMatchObject({ organizer_user_uri: null, organizer_email: null, organizer_name: null });
  });

  it.each([
    ['not an email', 'maya'], ['over 254 characters', `${'m'.repeat(3000)}@acme.com`], ['a number', 5],
  ])('should read an organizer email that is %s as absent', (_label, userEmail) => {
    const event = buildScheduledEvent({
      event_memberships: [{ user: 'https://api.calendly.com/users/U1', user_email: userEmail as never, user_name: 'Maya' }],
    });

    expect(eventRowOf(event)).toMatchObject({ organizer_email: null, organizer_name: 'Maya' });
  });

  it('should keep a total that fits a Postgres integer', () => {
    const event = buildScheduledEvent({ invitees_counter: { total: 2 ** 31 - 1, active: 1, limit: 1 } });

    expect(eventRowOf(event).invitees_total).toBe(2 ** 31 - 1);
  });

  it.each([2 ** 31, -(2 ** 31), 1e20, 1.5, '3'])('should read an invitees_counter.total of %p as absent', (total) => {
    const event = buildScheduledEvent({ invitees_counter: { total, active: 1, limit: 1 } as never });

    expect(eventRowOf(event).invitees_total).toBeNull();
  });

  it('should read a missing invitees_counter as no total', () => {
    const event = buildScheduledEvent({ invitees_counter: undefined });

    expect(eventRowOf(event).invitees_total).toBeNull();
  });

  it('should take canceled_at from the cancellation, not from updated_at', () => {
    const event = buildScheduledEvent({
      status: 'canceled', updated_at: '2026-02-28T08:00:00.000000Z', cancellation: buildCancellation({ created_at: '2026-02-27T09:00:00.000000Z' }),
    });

    expect(eventRowOf(event).canceled_at).toBe('2026-02-27T09:00:00.000000Z');
  });

  it('should leave canceled_at absent when the event has no cancellation', () => {
    const event = buildScheduledEvent({ status: 'active' });

    expect(eventRowOf(event).canceled_at).toBeNull();
  });

  it('should read a cancellation time that is not a real instant as absent', () => {
    const event = buildScheduledEvent({ status: 'canceled', cancellation: buildCancellation({ created_at: NOT_AN_INSTANT }) });

    expect(eventRowOf(event).canceled_at).toBeNull();
  });

  it('should keep created_at when it is a valid timestamp', () => {
    const event = buildScheduledEvent({ created_at: '2026-02-20T11:00:00.000000Z' });

    expect(eventRowOf(event).created_at).toBe('2026-02-20T11:00:00.000000Z');
  });

  it('should read a created_at that is not a timestamp as absent', () => {
    const event = buildScheduledEvent({ created_at: 'yesterday', updated_at: '2026-02-20T11:00:00.000000Z' });

    expect(eventRowOf(event).created_at).toBeNull();
  });

  it('should keep updated_at when valid', () => {
    const event = buildScheduledEvent({ updated_at: '2026-02-25T12:30:00.000000Z' });

    expect(eventRowOf(event).updated_at).toBe('2026-02-25T12:30:00.000000Z');
  });

  it.each([['missing', undefined], ['not a real instant', NOT_AN_INSTANT]])(
    'should make an updated_at that is %s lose to any other copy (-infinity)', (_label, updatedAt) => {
      const event = buildScheduledEvent({ updated_at: updatedAt });

      expect(eventRowOf(event).updated_at).toBe('-infinity');
    });

  it('should keep the whole payload as raw', () => {
    const event = buildScheduledEvent({ status: 'canceled' });

    expect(eventRowOf(event).raw).toEqual(event);
  });
});

describe('toInviteeRow', () => {
  it('should key the row by the uri under the event it was fetched for', () => {
    // Arrange: the invitee's own `event` field is not what files it
    const invitee = buildInvitee({ event: 'https://api.calendly.com/scheduled_events/EVTOTHER00000001' });
    const fetchedUnder = 'https://api.calendly.com/scheduled_events/EVTFETCHED000001';

    // Act
    const row = inviteeRowOf(invitee, fetchedUnder);

    // Assert
    expect(row).toMatchObject({ uri: invitee.uri, event_uri: fetchedUnder });
  });

  it('should keep the email as served, leaving its normalisation to the customer key', () => {
    const invitee = buildInvitee({ email: ' Carol.Chen@Example.com\t' });

    expect(inviteeRowOf(invitee).email).toBe(' Carol.Chen@Example.com\t');
  });

  it('should keep the name as served', () => {
    const invitee = buildInvitee({ name: 'Carol Chen' });

    expect(inviteeRowOf(invitee).name).toBe('Carol Chen');
  });

  it('should read a name that is not a string as absent', () => {
    const invitee = buildInvitee({ name: ['Carol'] as never });

    expect(inviteeRowOf(invitee).name).toBeNull();
  });

  it('should mark a canceled invitee as canceled', () => {
    const invitee = buildInvitee({ status: 'canceled' });

    expect(inviteeRowOf(invitee).status).toBe('canceled');
  });

  it.each(['active', 'CANCELED', 'no_show', null, undefined])('should count an invitee with status %p as active', (status) => {
    const invitee = buildInvitee({ status: status as never });

    expect(inviteeRowOf(invitee).status).toBe('active');
  });

  it('should flag the old invitee of a reschedule and link it to the new one', () => {
    const { oldInvitee, newInvitee } = buildRescheduledPair();

    expect(inviteeRowOf(oldInvitee)).toMatchObject({ is_rescheduled: true, new_invitee_uri: newInvitee.uri, old_invitee_uri: null });
  });

  it('should link the new invitee of a reschedule to the old one without flagging it', () => {
    const { oldInvitee, newInvitee } = buildRescheduledPair();

    expect(inviteeRowOf(newInvitee)).toMatchObject({ is_rescheduled: false, old_invitee_uri: oldInvitee.uri, new_invitee_uri: null });
  });

  it.each([['the string "true"', 'true'], ['1', 1], ['absent', undefined]])('should not flag a reschedule when rescheduled is %s', (_label, rescheduled) => {
    const invitee = buildInvitee({ rescheduled: rescheduled as never });

    expect(inviteeRowOf(invitee).is_rescheduled).toBe(false);
  });

  it('should read reschedule links that are not strings as absent', () => {
    const invitee = buildInvitee({ old_invitee: { uri: 'x' } as never, new_invitee: 7 as never });

    expect(inviteeRowOf(invitee)).toMatchObject({ old_invitee_uri: null, new_invitee_uri: null });
  });

  it('should read a no_show object as a mark', () => {
    const mark = buildNoShow('2026-03-02T18:00:00.000000Z');
    const invitee = buildInvitee({ no_show: mark });

    expect(inviteeRowOf(invitee)).toMatchObject({ no_show_uri: mark.uri, no_show_marked_at: mark.created_at });
  });

  it('should record no mark when no_show is null', () => {
    const invitee = buildInvitee({ no_show: null });

    expect(inviteeRowOf(invitee)).toMatchObject({ no_show_uri: null, no_show_marked_at: null });
  });

  it.each([
    ['false', false], ['true', true], ['a string', 'yes'], ['a number', 1], ['a list', [buildNoShow()]],
  ])('should read a no_show that is %s as no mark', (_label, noShow) => {
    const invitee = buildInvitee({ no_show: noShow as never });

    expect(inviteeRowOf(invitee)).toMatchObject({ no_show_uri: null, no_show_marked_at: null });
  });

  it('should keep a mark without a uri as a mark, under a placeholder', () => {
    const invitee = buildInvitee({ no_show: { created_at: '2026-03-02T18:00:00.000000Z' } as never });

    expect(inviteeRowOf(invitee)).toMatchObject({ no_show_uri: 'marked', no_show_marked_at: '2026-03-02T18:00:00.000000Z' });
  });

  it('should keep a mark whose time is not a real instant, without its time', () => {
    const mark = buildNoShow(NOT_AN_INSTANT);
    const invitee = buildInvitee({ no_show: mark });

    expect(inviteeRowOf(invitee)).toMatchObject({ no_show_uri: mark.uri, no_show_marked_at: null });
  });

  it('should take canceled_at from the cancellation, not from updated_at', () => {
    const invitee = buildInvitee({
      status: 'canceled', updated_at: '2026-02-28T08:00:00.000000Z',
      cancellation: buildCancellation({ canceler_type: 'invitee', created_at: '2026-02-27T09:00:00.000000Z' }),
    });

    expect(inviteeRowOf(invitee).canceled_at).toBe('2026-02-27T09:00:00.000000Z');
  });

  it('should leave canceled_at absent when the invitee has no cancellation', () => {
    const invitee = buildInvitee({ status: 'active' });

    expect(inviteeRowOf(invitee).canceled_at).toBeNull();
  });

  it('should read a cancellation that is a list as absent', () => {
    const invitee = buildInvitee({ cancellation: [{ created_at: '2026-03-02T18:00:00.000000Z' }] as never });

    expect(inviteeRowOf(invitee).canceled_at).toBeNull();
  });

  it('should keep created_at when it is a valid timestamp', () => {
    const invitee = buildInvitee({ created_at: '2026-02-20T11:00:00.000000Z' });

    expect(inviteeRowOf(invitee).created_at).toBe('2026-02-20T11:00:00.000000Z');
  });

  it('should read a created_at that is not a real instant as absent', () => {
    const invitee = buildInvitee({ created_at: NOT_AN_INSTANT, updated_at: '2026-02-20T11:00:00.000000Z' });

    expect(inviteeRowOf(invitee).created_at).toBeNull();
  });

  it('should keep updated_at when valid', () => {
    const invitee = buildInvitee({ updated_at: '2026-02-25T12:30:00.000000Z' });

    expect(inviteeRowOf(invitee).updated_at).toBe('2026-02-25T12:30:00.000000Z');
  });

  it.each([['missing', undefined], ['not a real instant', 'tomorrow']])(
    'should make an updated_at that is %s lose to any other copy (-infinity)', (_label, updatedAt) => {
      const invitee = buildInvitee({ updated_at: updatedAt });

      expect(inviteeRowOf(invitee).updated_at).toBe('-infinity');
    });

  it('should keep the whole payload as raw', () => {
    const invitee = buildInvitee({ no_show: buildNoShow() });

    expect(inviteeRowOf(invitee).raw).toEqual(invitee);
  });
});
