import { CALENDLY_WEBHOOK_EVENTS, type CalendlyWebhookEvent } from '../calendly/calendly.types';
import { usableUri } from '../sync/validate-records';

type Json = Record<string, unknown>;

/**
 * What a verified delivery asks of the service. `invitee` is the invitee as Calendly sent it
 * (its `scheduled_event` taken out), or `null` when the delivery only names it (`inviteeUri`)
 * and it must be read from the API.
 */
export type WebhookDelivery =
  | { kind: 'ignored'; event: string }
  | {
    kind: 'invitee';
    event: CalendlyWebhookEvent;
    invitee: Json | null;
    inviteeUri: string | null;
    scheduledEvent: Json | null;
  };

const HANDLED = new Set<string>(CALENDLY_WEBHOOK_EVENTS);

function isObject(value: unknown): value is Json {
  return value !== null && typeof value === 'object' && !Array.isArray(value);
}

/** A payload that is the invitee itself, as `invitee.*` deliveries send it. */
function looksLikeInvitee(payload: Json): boolean {
  return 'email' in payload || 'event' in payload || 'scheduled_event' in payload;
}

/**
 * Reads a delivery's envelope: `{ event, payload }`. Returns `null` when the body is not a
 * delivery at all (no event name or no payload object): that is a malformed request.
 */
export function parseWebhookDelivery(body: unknown): WebhookDelivery | null {
  if (!isObject(body) || typeof body.event !== 'string' || !isObject(body.payload)) return null;
  if (!HANDLED.has(body.event)) return { kind: 'ignored', event: body.event };
  const event = body.event as CalendlyWebhookEvent;
  const payload = body.payload;

  if (looksLikeInvitee(payload)) {
    const { scheduled_event: scheduledEvent, ...invitee } = payload;
    return { kind: 'invitee', event, invitee, inviteeUri: usableUri(invitee), scheduledEvent: isObject(scheduledEvent) ? scheduledEvent : null };
  }
  // A no-show resource `{ uri, invitee, created_at }`: the invitee is a URI, or nested whole.
  if (isObject(payload.invitee)) {
    const { scheduled_event: scheduledEvent, ...invitee } = payload.invitee;
    return { kind: 'invitee', event, invitee, inviteeUri: usableUri(invitee), scheduledEvent: isObject(scheduledEvent) ? scheduledEvent : null };
  }
  return { kind: 'invitee', event, invitee: null, inviteeUri: usableUri({ uri: payload.invitee }), scheduledEvent: null };
}
