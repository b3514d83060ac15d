import type { RequestHandler } from 'express';
import { sendHttpError } from './http-error';

function isSameOrigin(origin: string, host: string | undefined): boolean {
  try {
    return host !== undefined && new URL(origin).host === host.toLowerCase();
  } catch {
    return false;
  }
}

/**
 * Refuses a browser's request from an origin that is neither this server's nor listed in
 * CORS_ORIGINS, before GraphQL sees it.
 *
 * CORS headers only decide whether a page may read a response; the request has run by then. A
 * cross-origin `application/json` POST is preflighted, but a `text/plain` or form POST is not
 * (Apollo's CSRF prevention refuses those), and any of them would run a mutation if it reached
 * GraphQL. Browsers send `Origin` with every cross-origin request that is not a plain GET or HEAD,
 * so checking it here stops them all. A request without `Origin` (curl, a server, a BI tool) is
 * not a browser acting for a page and passes; same-origin requests come from Apollo's landing page.
 */
export function listedOriginsOnly(corsOrigins: readonly string[]): RequestHandler {
  const listed = new Set(corsOrigins);
  return (req, res, next) => {
    const { origin } = req.headers;
    if (origin === undefined || listed.has(origin) || isSameOrigin(origin, req.headers.host)) {
      next();
      return;
    }
    sendHttpError(res, 403, 'ORIGIN_NOT_ALLOWED', 'This origin is not allowed; list it in CORS_ORIGINS');
  };
}
