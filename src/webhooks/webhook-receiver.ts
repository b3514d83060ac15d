import { CalendlyError } from '../calendly/calendly.error';
import type { CalendlyInvitee } from '../calendly/calendly.types';
import { checkWebhookSignature, SIGNATURE_HEADER } from '../calendly/webhook-signature';
import type { Database } from '../db/data-source';
import type { Logger } from '../logging/logger';
import type { WebhookOutcome } from '../metrics/service-metrics';
import { refusal } from '../sync/validate-records';
import { deliveryRecords, type DeliveryRecords } from './delivery-records';
import { landDelivery } from './land-delivery';
import { parseWebhookDelivery } from './webhook-delivery';

/** The request header that carries Calendly's signature. */
export const WEBHOOK_SIGNATURE_HEADER = SIGNATURE_HEADER;

export interface WebhookReceiverDeps {
  db: Database;
  signingKey: string;
  /** Reads one invitee from Calendly, for a no-show delivery that only names it. */
  readInvitee(inviteeUri: string): Promise<CalendlyInvitee>;
  /** Told once a delivery changed staging: the refresh of the models is due. */
  onLanded(): void;
  /** Counts each delivery by outcome (/metrics). */
  observe?(outcome: WebhookOutcome): void;
  logger: Logger;
  /** The clock the signature's `t` is judged by (tests move it). */
  now?: () => number;
}

/** What to answer Calendly, and how the delivery is counted. */
export interface WebhookAnswer {
  status: number;
  outcome: WebhookOutcome;
}

/**
 * Receives one delivery of `POST /webhooks/calendly` (interfaces.md): the signature first, on the
 * raw bytes, so a bad one changes nothing; then the record is validated and landed like a polled
 * one and the answer is 2xx at once, the models being refreshed later. A failure Calendly may
 * retry (the API or the database not answering) is a 503.
 */
export class WebhookReceiver {
  constructor(private readonly deps: WebhookReceiverDeps) {}

  async receive(rawBody: Buffer, signatureHeader: string | undefined): Promise<WebhookAnswer> {
    const answer = await this.handle(rawBody, signatureHeader);
    this.deps.observe?.(answer.outcome);
    return answer;
  }

  private async handle(rawBody: Buffer, signatureHeader: string | undefined): Promise<WebhookAnswer> {
    const { deps } = this;
    const signature = checkWebhookSignature(signatureHeader, rawBody, deps.signingKey, (deps.now ?? Date.now)());
    if (signature !== 'valid') {
      deps.logger.warn({ signature }, 'webhook delivery refused: bad or missing signature');
      return { status: 401, outcome: 'bad_signature' };
    }
    let body: unknown;
    try {
      body = JSON.parse(rawBody.toString('utf8'));
    } catch {
      return { status: 400, outcome: 'invalid' };
    }
    const delivery = parseWebhookDelivery(body);
    if (!delivery) return { status: 400, outcome: 'invalid' };
    if (delivery.kind === 'ignored') return { status: 200, outcome: 'ignored' };

    let records: DeliveryRecords;
    try {
      records = await this.records(delivery.invitee, delivery.inviteeUri, delivery.scheduledEvent, body as { payload: object });
    } catch (error) {
      // Deleted since: nothing to land, and a retry would find nothing either.
      if (error instanceof CalendlyError && error.failure?.status === 404) return { status: 200, outcome: 'ignored' };
      deps.logger.error({ err: error, event: delivery.event }, 'webhook delivery: could not read its invitee; Calendly will retry');
      return { status: 503, outcome: 'error' };
    }
    let changed: number;
    try {
      changed = await landDelivery(deps.db, delivery.event, records);
    } catch (error) {
      deps.logger.error({ err: error, event: delivery.event }, 'webhook delivery could not be landed; Calendly will retry');
      return { status: 503, outcome: 'error' };
    }
    // A copy staging already had (a replay, or one a sync read first) needs no refresh.
    if (changed > 0) deps.onLanded();
    return { status: 200, outcome: records.rejected.length > 0 ? 'refused' : 'accepted' };
  }

  private async records(
    invitee: Record<string, unknown> | null, inviteeUri: string | null, scheduledEvent: Record<string, unknown> | null,
    body: { payload: object },
  ): Promise<DeliveryRecords> {
    if (invitee) return deliveryRecords(invitee, scheduledEvent);
    // A no-show delivery that names no readable invitee is refused as a record without a uri.
    if (!inviteeUri) return { events: [], invitees: [], rejected: [refusal('invitee', body.payload, 'missing_uri')] };
    const read = await this.deps.readInvitee(inviteeUri);
    return deliveryRecords({ ...read } as Record<string, unknown>, null);
  }
}
