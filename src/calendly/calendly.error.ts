import { AppError } from '../errors/app-error';

export type CalendlyErrorCode =
  | 'CALENDLY_UNAUTHORIZED'
  | 'CALENDLY_RATE_LIMITED'
  | 'CALENDLY_UNAVAILABLE'
  | 'CALENDLY_BAD_RESPONSE'
  /** The client was closed (shutdown) while the request or its wait was in flight. */
  | 'CALENDLY_ABORTED'
  /** Webhook subscriptions refused with 403: the plan has no webhooks (or the token is not an admin's). */
  | 'CALENDLY_WEBHOOKS_UNAVAILABLE';

/**
 * What went wrong with one request, safe to log: never headers, tokens or the axios config.
 * Used as the `cause` of a CalendlyError instead of the raw axios error.
 */
export interface CalendlyFailure {
  method: string;
  path: string;
  status?: number;
  /** Network error code such as ECONNRESET or ECONNABORTED. */
  errorCode?: string;
  attempts: number;
  /** Calendly's error title/message, when the body had one. */
  apiTitle?: string;
  apiMessage?: string;
}

/** A Calendly call failed for good; the message names the endpoint and never a secret. */
export class CalendlyError extends AppError<CalendlyErrorCode> {
  constructor(code: CalendlyErrorCode, message: string, readonly failure?: CalendlyFailure) {
    super(code, message, failure ? { cause: failure } : undefined);
  }
}
