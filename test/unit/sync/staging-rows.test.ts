import { toEventRow, toInviteeRow } from '../../../src/sync/staging-rows';
import { buildInvitee, buildNoShow } from '../../factories/invitee.factory';
import { buildScheduledEvent } from '../../factories/scheduled-event.factory';

type ValidatedEvent = Parameters<typeof toEventRow>[0];
type ValidatedInvitee = Parameters<typeof toInviteeRow>[0];

describe('toInviteeRow', () => {
  it.each([
    ['false', false], ['true', true], ['a string', 'yes'], ['a number', 1], ['a list', [buildNoShow()]],
  ])('should read a no_show that is %s as no mark', (_label, noShow) => {
    // Arrange
    const invitee = buildInvitee({ no_show: noShow as never });

    // Act
    const row = toInviteeRow(invitee as ValidatedInvitee, invitee.event);

    // Assert
    expect(row).toMatchObject({ no_show_uri: null, no_show_marked_at: null });
  });

  it('should read a no_show object as a mark', () => {
    const mark = buildNoShow('2026-03-02T18:00:00.000000Z');
    const invitee = buildInvitee({ no_show: mark });

    expect(toInviteeRow(invitee as ValidatedInvitee, invitee.event)).toMatchObject({
      no_show_uri: mark.uri, no_show_marked_at: mark.created_at,
    });
  });

  it('should read a cancellation that is a list as absent', () => {
    const invitee = buildInvitee({ cancellation: [{ created_at: '2026-03-02T18:00:00.000000Z' }] as never });

    expect(toInviteeRow(invitee as ValidatedInvitee, invitee.event).canceled_at).toBeNull();
  });
});

describe('toEventRow', () => {
  it.each([2 ** 31, -(2 ** 31), 1e20, 1.5, '3'])('should read an invitees_counter.total of %p as absent', (total) => {
    const event = buildScheduledEvent({ invitees_counter: { total, active: 1, limit: 1 } as never });

    expect(toEventRow(event as ValidatedEvent).invitees_total).toBeNull();
  });

  it('should keep a total that fits a Postgres integer', () => {
    const event = buildScheduledEvent({ invitees_counter: { total: 2 ** 31 - 1, active: 1, limit: 1 } });

    expect(toEventRow(event as ValidatedEvent).invitees_total).toBe(2 ** 31 - 1);
  });

  it.each([
    ['not an email', 'maya'], ['over 254 characters', `${'m'.repeat(3000)}@acme.com`], ['a number', 5],
  ])('should read an organizer email that is %s as absent', (_label, userEmail) => {
    const event = buildScheduledEvent({
      event_memberships: [{ user: 'https://api.calendly.com/users/U1', user_email: userEmail as never, user_name: 'Maya' }],
    });

    expect(toEventRow(event as ValidatedEvent)).toMatchObject({ organizer_email: null, organizer_name: 'Maya' });
  });
});
