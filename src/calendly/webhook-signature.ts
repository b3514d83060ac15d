import { createHmac, timingSafeEqual } from 'node:crypto';

/** Calendly's signature header on every webhook delivery. */
export const SIGNATURE_HEADER = 'calendly-webhook-signature';

/** How far `t` may lie from now, either way, before a delivery counts as a replay (interfaces.md). */
export const SIGNATURE_TOLERANCE_SECONDS = 5 * 60;

/** Why a signature is refused, or `valid`. */
export type SignatureCheck = 'valid' | 'missing' | 'malformed' | 'expired' | 'mismatch';

function hmac(signingKey: string, timestamp: string, rawBody: Buffer): Buffer {
  return createHmac('sha256', signingKey).update(`${timestamp}.`, 'utf8').update(rawBody).digest();
}

/** The header value Calendly sends for `rawBody` signed at `unixSeconds` (the simulator and tests sign with it). */
export function signWebhookBody(signingKey: string, rawBody: Buffer | string, unixSeconds: number): string {
  const timestamp = String(Math.floor(unixSeconds));
  const body = typeof rawBody === 'string' ? Buffer.from(rawBody, 'utf8') : rawBody;
  return `t=${timestamp},v1=${hmac(signingKey, timestamp, body).toString('hex')}`;
}

/**
 * Checks `t=<unix seconds>,v1=<hex>`: an HMAC-SHA256 of "<t>.<raw body>" with the signing key,
 * compared in constant time, and `t` within the tolerance of `nowMs` both ways (a delivery
 * from the future is as suspect as a stale one). Any of several `v1` values may match, as when
 * Calendly rolls a key.
 */
export function checkWebhookSignature(header: string | undefined, rawBody: Buffer, signingKey: string, nowMs: number): SignatureCheck {
  if (header === undefined || header.trim() === '') return 'missing';
  let timestamp: string | undefined;
  const signatures: Buffer[] = [];
  for (const part of header.split(',')) {
    const [name, value, ...extra] = part.trim().split('=');
    if (extra.length > 0 || value === undefined) return 'malformed';
    if (name === 't') timestamp = value;
    else if (name === 'v1' && /^[0-9a-f]{64}$/i.test(value)) signatures.push(Buffer.from(value, 'hex'));
  }
  if (timestamp === undefined || !/^\d{1,12}$/.test(timestamp) || signatures.length === 0) return 'malformed';
  if (Math.abs(nowMs / 1000 - Number(timestamp)) > SIGNATURE_TOLERANCE_SECONDS) return 'expired';
  const expected = hmac(signingKey, timestamp, rawBody);
  // Every candidate is compared, so the time taken says nothing about which one matched.
  let matched = false;
  for (const signature of signatures) matched = timingSafeEqual(signature, expected) || matched;
  return matched ? 'valid' : 'mismatch';
}
