// The one place that decides whether a Calendly timestamp is valid (metrics.md §5), so the
// client-side check and the SQL cast can never disagree: only strings accepted here reach
// `::timestamptz`, and Postgres reads them as the same instant.
const ISO_8601_WITH_ZONE =
  /^(\d{4})-(\d{2})-(\d{2})T(\d{2}):(\d{2}):(\d{2})(\.\d{1,6})?(Z|[+-](\d{2}):(\d{2}))$/;

function daysInMonth(year: number, month: number): number {
  return new Date(Date.UTC(year, month, 0)).getUTCDate();
}

/** Whether `value` is an ISO-8601 timestamp with a zone that names a real instant. */
export function isValidCalendlyTimestamp(value: unknown): value is string {
  if (typeof value !== 'string') return false;
  const match = ISO_8601_WITH_ZONE.exec(value);
  if (!match) return false;
  const [year, month, day, hour, minute, second] = match.slice(1, 7).map(Number);
  if (month < 1 || month > 12 || day < 1 || day > daysInMonth(year, month)) return false;
  if (hour > 23 || minute > 59 || second > 59) return false;
  if (match[9] !== undefined && (Number(match[9]) > 23 || Number(match[10]) > 59)) return false;
  return year >= 1;
}
