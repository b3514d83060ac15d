import pino, { type Logger } from 'pino';

export type { Logger };

/** One JSON line per event worth knowing; secrets are redacted by key wherever they appear. */
export function createLogger(level = 'info', destination?: pino.DestinationStream): Logger {
  return pino(
    {
      level,
      base: { service: 'calendly-sync' },
      timestamp: pino.stdTimeFunctions.isoTime,
      redact: {
        paths: ['*.authorization', '*.Authorization', '*.headers.authorization', 'calendlyApiKey', 'apiToken', '*.calendlyApiKey', '*.apiToken',
          'calendlyWebhookSigningKey', '*.calendlyWebhookSigningKey'],
        censor: '***',
      },
    },
    destination ?? pino.destination(2),
  );
}
