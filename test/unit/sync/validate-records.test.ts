import { isValidCalendlyTimestamp } from '../../../src/sync/calendly-timestamp';
import { eventRejection, inviteeRejection } from '../../../src/sync/validate-records';

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
  const valid = { start_time: '2026-03-14T15:00:00.000000Z', status: 'active' };

  it('should accept active and canceled events', () => {
    expect(eventRejection(valid)).toBeNull();
    expect(eventRejection({ ...valid, status: 'canceled' })).toBeNull();
  });

  it('should refuse invalid_start_time when start_time is missing or not a real instant', () => {
    expect(eventRejection({ status: 'active' })).toBe('invalid_start_time');
    expect(eventRejection({ ...valid, start_time: '2026-02-30T10:00:00Z' })).toBe('invalid_start_time');
  });

  it.each([undefined, null, 'ACTIVE', 'deleted', 1])('should refuse invalid_status when status is %p', (status) => {
    expect(eventRejection({ ...valid, status })).toBe('invalid_status');
  });
});

describe('inviteeRejection', () => {
  it('should refuse missing_email when the email is absent, null or blank after trimming', () => {
    expect(inviteeRejection({}, null)).toBe('missing_email');
    expect(inviteeRejection({ email: null }, null)).toBe('missing_email');
    expect(inviteeRejection({ email: ' \t\r\n' }, null)).toBe('missing_email');
  });

  it("should refuse an invitee with its event's reason when the event was refused", () => {
    expect(inviteeRejection({ email: 'a@example.com' }, 'invalid_status')).toBe('invalid_status');
  });

  it('should accept an invitee with an email under a valid event', () => {
    expect(inviteeRejection({ email: ' Carol@Example.com ' }, null)).toBeNull();
  });
});
