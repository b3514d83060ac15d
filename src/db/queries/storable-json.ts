// JSON.stringify writes U+0000 as `\u0000` and a lone surrogate as `\udXXX` (a valid pair stays
// raw), and PostgreSQL refuses both in jsonb and text. Matching `\\` as well keeps the scan on
// escape boundaries, so an escaped backslash followed by `u0000` is left alone.
const ESCAPE = /\\(?:\\|u0000|ud[89a-f][0-9a-f]{2})/g;
const REPLACEMENT = '\\ufffd';

/**
 * A records parameter as JSON that PostgreSQL can store: every U+0000 and lone surrogate, in
 * values and keys at any depth, becomes U+FFFD (metrics.md §5: content never fails a run). Every
 * statement that writes Calendly records takes its rows through here.
 */
export function storableJson(records: unknown): string {
  return JSON.stringify(records).replace(ESCAPE, (escape) => (escape === '\\\\' ? escape : REPLACEMENT));
}
