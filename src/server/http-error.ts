import type { ErrorRequestHandler, Response } from 'express';
import type { Logger } from '../logging/logger';

/** Codes of requests refused before GraphQL runs; the body has the shape of a GraphQL error. */
export type HttpErrorCode =
  | 'UNAUTHENTICATED'
  | 'HOST_NOT_ALLOWED'
  | 'ORIGIN_NOT_ALLOWED'
  | 'PAYLOAD_TOO_LARGE'
  | 'BAD_REQUEST'
  | 'INTERNAL_SERVER_ERROR';

export function sendHttpError(res: Response, status: number, code: HttpErrorCode, message: string): void {
  res.status(status).json({ errors: [{ message, extensions: { code } }] });
}

interface BodyParserError {
  status?: number;
  expose?: boolean;
}

/**
 * The last middleware: body-parser's refusals (a body over the limit, JSON that does not parse,
 * an unsupported charset) keep their status with a stable code; anything else is logged and
 * answered as an opaque 500. body-parser has read the whole body before it gets here, so the
 * connection stays usable for the client's next request.
 */
export function httpErrorHandler(logger: Logger): ErrorRequestHandler {
  return (error: unknown, req, res, next) => {
    if (res.headersSent) {
      next(error);
      return;
    }
    const { status, expose } = (error ?? {}) as BodyParserError;
    if (status === 413) {
      sendHttpError(res, 413, 'PAYLOAD_TOO_LARGE', 'Request body is too large');
    } else if (expose === true && typeof status === 'number' && status >= 400 && status < 500) {
      sendHttpError(res, status, 'BAD_REQUEST', 'Request body could not be read as JSON');
    } else {
      logger.error({ err: error, path: req.path }, 'HTTP request failed');
      sendHttpError(res, 500, 'INTERNAL_SERVER_ERROR', 'Internal server error');
    }
  };
}
