import type { RequestHandler } from 'express';
import { isLoopbackHost } from '../config/config';
import { sendHttpError } from './http-error';

/**
 * Without API_TOKEN the server answers loopback names only. A DNS-rebinding page (evil.example,
 * whose address is switched to 127.0.0.1 after it loaded) reaches the loopback socket as its own
 * origin, but its requests still say `Host: evil.example`. With API_TOKEN set, the token is what
 * keeps such a page out, and the service may sit behind any name.
 */
export function loopbackHostOnly(): RequestHandler {
  return (req, res, next) => {
    // Express strips the port and keeps an IPv6 literal's brackets: `[::1]:4000` → `[::1]`.
    if (req.hostname && isLoopbackHost(req.hostname)) {
      next();
      return;
    }
    sendHttpError(res, 403, 'HOST_NOT_ALLOWED', 'Host must be localhost, 127.0.0.1 or [::1] unless API_TOKEN is set');
  };
}
