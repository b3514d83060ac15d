import { ApiError } from './api.error';

// Cursors are opaque to clients: base64url of a small JSON object. Decoding validates the
// shape so a hand-made cursor is a BAD_USER_INPUT, never a SQL error.

export function encodeCursor(payload: Record<string, unknown>): string {
  return Buffer.from(JSON.stringify(payload), 'utf8').toString('base64url');
}

export function decodeCursor(cursor: string): Record<string, unknown> {
  try {
    const value: unknown = JSON.parse(Buffer.from(cursor, 'base64url').toString('utf8'));
    if (value && typeof value === 'object' && !Array.isArray(value)) return value as Record<string, unknown>;
  } catch {
    // fall through
  }
  throw new ApiError('INVALID_CURSOR', 'after is not a cursor this API returned');
}

/** Page sizes above this are cut down to it. */
export const MAX_PAGE_SIZE = 500;

export function clampPageSize(first: number | undefined, fallback: number): number {
  return Math.min(Math.max(first ?? fallback, 0), MAX_PAGE_SIZE);
}
