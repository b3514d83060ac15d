import { createHash, timingSafeEqual } from 'node:crypto';
import type { IncomingHttpHeaders } from 'node:http';

function digest(value: string): Buffer {
  return createHash('sha256').update(value, 'utf8').digest();
}

/**
 * Whether the request carries `Authorization: Bearer <apiToken>`. Both sides are hashed first
 * so the constant-time comparison always sees equal lengths and leaks nothing about the token.
 */
export function hasValidBearerToken(headers: IncomingHttpHeaders, apiToken: string): boolean {
  const match = /^Bearer\s+(.+)$/i.exec(headers.authorization ?? '');
  const given = match ? match[1].trim() : '';
  return timingSafeEqual(digest(given), digest(apiToken)) && given.length > 0;
}
