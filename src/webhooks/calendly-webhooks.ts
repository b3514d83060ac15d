import { configuredCalendlyClient, type CalendlyEndpoint } from '../calendly/configured-client';
import type { Config } from '../config/config';
import type { Database } from '../db/data-source';
import type { Logger } from '../logging/logger';
import type { ServiceMetrics } from '../metrics/service-metrics';
import { WebhookReceiver } from './webhook-receiver';
import { WebhookRefresher, type RunStarter } from './webhook-refresher';

export interface CalendlyWebhooks {
  receiver: WebhookReceiver;
  refresher: WebhookRefresher;
}

/**
 * The receiver of `POST /webhooks/calendly` and the refresh it schedules, or `undefined` when no
 * CALENDLY_WEBHOOK_SIGNING_KEY is configured (the endpoint then answers 404).
 */
export function createCalendlyWebhooks(deps: {
  config: Config;
  db: Database;
  logger: Logger;
  runs: RunStarter;
  metrics?: ServiceMetrics;
  calendly?: CalendlyEndpoint;
}): CalendlyWebhooks | undefined {
  const { config, db, logger, metrics } = deps;
  if (!config.calendlyWebhookSigningKey) return undefined;
  const refresher = new WebhookRefresher(deps.runs, config.webhookRefreshDelayMs, logger);
  const receiver = new WebhookReceiver({
    db,
    signingKey: config.calendlyWebhookSigningKey,
    readInvitee: async (uri) => {
      // Rare (no-show deliveries that only name their invitee): a client per read, closed at once.
      const client = configuredCalendlyClient(config, { endpoint: deps.calendly, logger, observer: metrics });
      try {
        return await client.getInvitee(uri);
      } finally {
        client.close();
      }
    },
    onLanded: () => refresher.noteDelivery(),
    observe: (outcome) => metrics?.webhookDelivery(outcome),
    logger,
  });
  return { receiver, refresher };
}
