import type { Logger } from 'pino';
import { requireCalendlyApiKey, type Config } from '../config/config';
import { CalendlyClient, type CalendlyClientObserver } from './calendly-client';

/** The configured endpoint and key, unless a caller points elsewhere (demo, tests, benchmark). */
export interface CalendlyEndpoint {
  baseUrl: string;
  apiKey: string;
}

/** A client with the configuration's limits; throws ConfigError when no API key is configured or given. */
export function configuredCalendlyClient(
  config: Config,
  options: { endpoint?: CalendlyEndpoint; logger?: Logger; observer?: CalendlyClientObserver } = {},
): CalendlyClient {
  return new CalendlyClient({
    baseUrl: options.endpoint?.baseUrl ?? config.calendlyBaseUrl,
    apiKey: options.endpoint?.apiKey ?? requireCalendlyApiKey(config),
    rateLimitPerMinute: config.calendlyRateLimitPerMinute,
    concurrency: config.calendlyConcurrency,
    maxRetries: config.calendlyMaxRetries,
    timeoutMs: config.calendlyTimeoutMs,
    logger: options.logger,
    observer: options.observer,
  });
}
