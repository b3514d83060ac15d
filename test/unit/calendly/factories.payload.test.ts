import { buildInvitee, buildNoShow, buildRescheduledPair } from '../../factories/invitee.factory';
import { buildScheduledEvent } from '../../factories/scheduled-event.factory';

describe('test factories', () => {
  it('should build complete, uniquely keyed payloads when called without overrides', () => {
    const a = buildScheduledEvent();
    const b = buildScheduledEvent();
    expect(a.uri).not.toBe(b.uri);
    expect(a).toMatchObject({ status: 'active', start_time: '2026-03-02T15:00:00.000000Z', end_time: '2026-03-02T15:30:00.000000Z' });
    expect(a.event_memberships[0]).toMatchObject({ user_email: expect.any(String), user_name: expect.any(String) });
    const invitee = buildInvitee({ event: a.uri });
    expect(invitee.uri.startsWith(`${a.uri}/invitees/`)).toBe(true);
    expect(invitee).toMatchObject({ status: 'active', no_show: null, rescheduled: false, event: a.uri });
  });

  it('should apply overrides and derived fields when given status, times and no_show', () => {
    const ev = buildScheduledEvent({ status: 'canceled', start_time: '2026-01-05T09:00:00.000000Z' });
    expect(ev.cancellation).toMatchObject({ canceler_type: 'host' });
    expect(ev.end_time).toBe('2026-01-05T09:30:00.000000Z');
    const noShow = buildNoShow();
    const invitee = buildInvitee({ event: ev.uri, email: 'a@x.com', no_show: noShow });
    expect(invitee).toMatchObject({ email: 'a@x.com', no_show: { uri: noShow.uri, created_at: noShow.created_at } });
  });

  it('should drop a key when its override is undefined', () => {
    expect('status' in buildScheduledEvent({ status: undefined })).toBe(false);
    expect('email' in buildInvitee({ email: undefined })).toBe(false);
  });

  it('should link old and new invitee when building a reschedule pair', () => {
    const { oldInvitee, newInvitee } = buildRescheduledPair();
    expect(oldInvitee).toMatchObject({ status: 'canceled', rescheduled: true, new_invitee: newInvitee.uri });
    expect(newInvitee.old_invitee).toBe(oldInvitee.uri);
    expect(oldInvitee.email).toBe(newInvitee.email);
  });
});
