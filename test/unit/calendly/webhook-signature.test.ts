import { checkWebhookSignature, signWebhookBody } from '../../../src/calendly/webhook-signature';

const KEY = 'whsec_test_signing_key';
const OTHER_KEY = 'whsec_another_key';
const NOW_MS = Date.UTC(2026, 2, 1, 12, 0, 0);
const NOW_S = NOW_MS / 1000;
const BODY = Buffer.from(JSON.stringify({ event: 'invitee.created', payload: { uri: 'x' } }));

describe('checkWebhookSignature', () => {
  it('should accept a body signed with the key just now', () => {
    // Arrange
    const header = signWebhookBody(KEY, BODY, NOW_S);
    // Act / Assert
    expect(checkWebhookSignature(header, BODY, KEY, NOW_MS)).toBe('valid');
  });

  it.each([
    ['4 min 59 s old', -299],
    ['4 min 59 s ahead', 299],
    ['exactly 5 min old', -300],
  ])('should accept a t that is %s', (_label, offset) => {
    expect(checkWebhookSignature(signWebhookBody(KEY, BODY, NOW_S + offset), BODY, KEY, NOW_MS)).toBe('valid');
  });

  it.each([undefined, '', '   '])('should call a missing header (%p) missing', (header) => {
    expect(checkWebhookSignature(header, BODY, KEY, NOW_MS)).toBe('missing');
  });

  it.each([
    ['no v1', `t=${NOW_S}`],
    ['no t', 'v1=' + 'a'.repeat(64)],
    ['a t that is not a number', `t=soon,v1=${'a'.repeat(64)}`],
    ['a v1 that is not 64 hex digits', `t=${NOW_S},v1=abc`],
    ['garbage', 'hello'],
  ])('should call a header with %s malformed', (_label, header) => {
    expect(checkWebhookSignature(header, BODY, KEY, NOW_MS)).toBe('malformed');
  });

  it('should refuse a stale t (more than 5 minutes old) even with a correct signature', () => {
    expect(checkWebhookSignature(signWebhookBody(KEY, BODY, NOW_S - 301), BODY, KEY, NOW_MS)).toBe('expired');
  });

  it('should refuse a t more than 5 minutes in the future', () => {
    expect(checkWebhookSignature(signWebhookBody(KEY, BODY, NOW_S + 301), BODY, KEY, NOW_MS)).toBe('expired');
  });

  it('should refuse a body signed with another key', () => {
    expect(checkWebhookSignature(signWebhookBody(OTHER_KEY, BODY, NOW_S), BODY, KEY, NOW_MS)).toBe('mismatch');
  });

  it('should refuse a body altered after signing', () => {
    // Arrange
    const header = signWebhookBody(KEY, BODY, NOW_S);
    const altered = Buffer.from(BODY.toString('utf8').replace('invitee.created', 'invitee.canceled'));
    // Act / Assert
    expect(checkWebhookSignature(header, altered, KEY, NOW_MS)).toBe('mismatch');
  });

  it('should refuse a signature whose t was changed after signing (t is part of what is signed)', () => {
    const header = signWebhookBody(KEY, BODY, NOW_S - 10).replace(`t=${NOW_S - 10}`, `t=${NOW_S}`);
    expect(checkWebhookSignature(header, BODY, KEY, NOW_MS)).toBe('mismatch');
  });

  it('should accept the header when one of several v1 values matches', () => {
    const valid = signWebhookBody(KEY, BODY, NOW_S);
    const header = `${valid.split(',')[0]},v1=${'0'.repeat(64)},${valid.split(',')[1]}`;
    expect(checkWebhookSignature(header, BODY, KEY, NOW_MS)).toBe('valid');
  });
});
