import { createHash, timingSafeEqual } from 'node:crypto';
import type { IncomingHttpHeaders } from 'node:http';
import type { RequestHandler } from 'express';
import { sendHttpError } from './http-error';

function digest(value: string): Buffer {
  return createHash('sha256').update(value, 'utf8').digest();
}

/**
 * Whether the request carries `Authorization: Bearer <apiToken>`. Both sides are hashed first
 * so the constant-time comparison always sees equal lengths and leaks nothing about the token.
 * `apiToken` comes trimmed from the config; the presented one is trimmed here.
 */
export function hasValidBearerToken(headers: IncomingHttpHeaders, apiToken: string): boolean {
  const match = /^Bearer\s+(.+)$/i.exec(headers.authorization ?? '');
  const given = match ? match[1].trim() : '';
  return timingSafeEqual(digest(given), digest(apiToken)) && given.length > 0;
}

/** Lets a request through when no API_TOKEN is configured or it presents the token; else 401. */
export function requireBearerToken(apiToken: string | undefined): RequestHandler {
  return (req, res, next) => {
    if (!apiToken || hasValidBearerToken(req.headers, apiToken)) {
      next();
      return;
    }
    res.setHeader('www-authenticate', 'Bearer realm="calendly-sync"');
    sendHttpError(res, 401, 'UNAUTHENTICATED', 'Missing or invalid API token');
  };
}
