export const MINUTE_MS = 60_000;
export const HOUR_MS = 60 * MINUTE_MS;
export const DAY_MS = 24 * HOUR_MS;

/** Calendly's timestamp format: ISO-8601 UTC with microseconds, `2026-03-14T15:00:00.000000Z`. */
export function formatCalendlyTime(ms: number): string {
  return new Date(ms).toISOString().replace(/Z$/, '000Z');
}

/** Milliseconds since epoch, or NaN when the value is not a parseable timestamp. */
export function parseTime(value: unknown): number {
  return typeof value === 'string' ? Date.parse(value) : NaN;
}
