import type { CalendlyInvitee } from '../../../src/calendly/calendly.types';
import { isValidCalendlyTimestamp } from '../../../src/sync/calendly-timestamp';
import { eventRejection, inviteeRejection, usableUri } from '../../../src/sync/validate-records';
import { buildInvitee } from '../../factories/invitee.factory';
import { buildScheduledEvent } from '../../factories/scheduled-event.factory';

// Complete payloads as Calendly serves them, so a rule is checked with every other field present.
const EVENT_URI = 'https://api.calendly.com/scheduled_events/EVT0000000000001';
const INVITEE_URI = `${EVENT_URI}/invitees/INV0000000000001`;
const invitee = (fields: Partial<CalendlyInvitee>) => buildInvitee({ event: EVENT_URI, uri: INVITEE_URI, ...fields });

describe('isValidCalendlyTimestamp', () => {
  it.each([
    '2026-03-14T15:00:00.000000Z',
    '2026-03-14T15:00:00Z',
    '2026-03-14T15:00:00.123+02:00',
    '2024-02-29T00:00:00Z',
  ])('should accept %s', (value) => {
    expect(isValidCalendlyTimestamp(value)).toBe(true);
  });

  it.each([
    ['a day that does not exist', '2026-02-30T10:00:00Z'],
    ['Feb 29 outside a leap year', '2025-02-29T10:00:00Z'],
    ['a word', 'tomorrow'],
    ['no zone', '2026-03-14T15:00:00'],
    ['a date only', '2026-03-14'],
    ['hour 24', '2026-03-14T24:00:00Z'],
    ['month 13', '2026-13-01T10:00:00Z'],
    ['an empty string', ''],
    ['null', null],
    ['a number', 1710428400000],
  ])('should refuse %s', (_label, value) => {
    expect(isValidCalendlyTimestamp(value)).toBe(false);
  });
});

describe('eventRejection', () => {
  const valid = buildScheduledEvent({ uri: EVENT_URI, start_time: '2026-03-14T15:00:00.000000Z', status: 'active' });

  it('should accept active and canceled events', () => {
    expect(eventRejection(valid)).toBeNull();
    expect(eventRejection({ ...valid, status: 'canceled' })).toBeNull();
  });

  it('should refuse invalid_start_time when start_time is missing or not a real instant', () => {
    expect(eventRejection(buildScheduledEvent({ uri: EVENT_URI, start_time: undefined, status: 'active' }))).toBe('invalid_start_time');
    expect(eventRejection({ ...valid, start_time: '2026-02-30T10:00:00Z' })).toBe('invalid_start_time');
  });

  it.each([undefined, null, 'ACTIVE', 'deleted', 1])('should refuse invalid_status when status is %p', (status) => {
    expect(eventRejection({ ...valid, status })).toBe('invalid_status');
  });
});

describe('inviteeRejection', () => {
  it('should refuse missing_email when the email is absent, null or blank after trimming', () => {
    expect(inviteeRejection(invitee({ email: undefined }), null)).toBe('missing_email');
    expect(inviteeRejection(invitee({ email: null }), null)).toBe('missing_email');
    expect(inviteeRejection(invitee({ email: ' \t\r\n' }), null)).toBe('missing_email');
  });

  it("should refuse an invitee with its event's reason when the event was refused", () => {
    expect(inviteeRejection(invitee({ email: 'a@example.com' }), 'invalid_status')).toBe('invalid_status');
  });

  it('should accept an invitee with an email under a valid event', () => {
    expect(inviteeRejection(invitee({ email: ' Carol@Example.com ' }), null)).toBeNull();
  });

  it.each([
    ['absent', undefined], ['null', null], ['a number', 42], ['an object', {}], ['empty', ''], ['blank', ' \t\n'],
    ['only slashes', '///'], ['holding U+0000', `${INVITEE_URI}\u0000`], ['holding a lone surrogate', `${INVITEE_URI}\ud800`],
    ['over 500 characters', `${INVITEE_URI}${'x'.repeat(500)}`],
  ])('should refuse missing_uri when the uri is %s', (_label, uri) => {
    expect(inviteeRejection({ ...invitee({ email: 'a@example.com' }), uri }, null)).toBe('missing_uri');
  });

  it.each([
    ['no @', 'carol.example.com'],
    ['255 characters after trimming', ` ${'c'.repeat(243)}@example.com `],
    ['about 3 KB', `${'c'.repeat(3000)}@example.com`],
    ['255 characters of which some astral', `${'😀'.repeat(100)}${'c'.repeat(143)}@example.com`],
  ])('should refuse invalid_email when the email has %s', (_label, email) => {
    expect(inviteeRejection(invitee({ email }), null)).toBe('invalid_email');
  });

  it('should accept an email of 254 characters after trimming, counted in characters not UTF-16 units', () => {
    expect(inviteeRejection(invitee({ email: `\t${'c'.repeat(242)}@example.com\u00a0` }), null)).toBeNull();
    expect(inviteeRejection(invitee({ email: `${'😀'.repeat(100)}${'c'.repeat(142)}@example.com` }), null)).toBeNull();
  });
});

describe('eventRejection of the uri', () => {
  it.each([undefined, null, 7, '', '   ', '/'])('should refuse missing_uri before any other reason when the uri is %p', (uri) => {
    expect(eventRejection({ ...buildScheduledEvent({ start_time: 'tomorrow', status: 'pending' }), uri })).toBe('missing_uri');
  });

  it('should give the usable uri back, and null for an unusable one', () => {
    expect(usableUri({ uri: EVENT_URI })).toBe(EVENT_URI);
    expect(usableUri({ uri: ' ' })).toBeNull();
  });
});
