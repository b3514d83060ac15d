import { ApiError } from './api.error';

// Cursors are opaque to clients: base64url of a small JSON object. A cursor is decoded and
// checked in one place, here, so a hand-made one is a BAD_USER_INPUT, never a SQL error.

export function encodeCursor(payload: Record<string, unknown>): string {
  return Buffer.from(JSON.stringify(payload), 'utf8').toString('base64url');
}

/** Decodes `cursor` and returns it when `isValid` accepts it; anything else is INVALID_CURSOR. */
export function decodeCursor<T>(cursor: string, isValid: (value: Record<string, unknown>) => boolean): T {
  let value: unknown;
  try {
    value = JSON.parse(Buffer.from(cursor, 'base64url').toString('utf8'));
  } catch {
    // refused below
  }
  if (value && typeof value === 'object' && !Array.isArray(value) && isValid(value as Record<string, unknown>)) return value as T;
  throw new ApiError('INVALID_CURSOR', 'after is not a cursor this API returned, or belongs to another orderBy');
}

const TIMESTAMP = /^(\d{4})-(\d{2})-(\d{2})T(\d{2}):(\d{2}):(\d{2})\.\d{6}Z$/;

/** A `YYYY-MM-DDTHH:MM:SS.ffffffZ` text naming a real instant (no 30 February, no hour 25). */
function isTimestampText(text: string): boolean {
  const parts = TIMESTAMP.exec(text);
  if (!parts) return false;
  const [year, month, day, hour, minute, second] = parts.slice(1).map(Number);
  const date = new Date(Date.UTC(year, month - 1, day, hour, minute, second));
  return date.getUTCFullYear() === year && date.getUTCMonth() === month - 1 && date.getUTCDate() === day
    && date.getUTCHours() === hour && date.getUTCMinutes() === minute && date.getUTCSeconds() === second;
}

/**
 * What the text of a sort value in a cursor must look like for the SQL type it is cast to, so
 * every value that passes also casts.
 */
export const CURSOR_VALUE_CHECKS = {
  numeric: (text: string) => /^-?\d{1,12}(\.\d{1,6})?$/.test(text),
  integer: (text: string) => /^-?\d{1,9}$/.test(text),
  timestamptz: isTimestampText,
} satisfies Record<string, (text: string) => boolean>;

export type CursorValueType = keyof typeof CURSOR_VALUE_CHECKS;

/** Page sizes above this are cut down to it. */
export const MAX_PAGE_SIZE = 500;

export function clampPageSize(first: number | undefined, fallback: number): number {
  return Math.min(Math.max(first ?? fallback, 0), MAX_PAGE_SIZE);
}
