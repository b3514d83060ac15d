import type { CalendlyInvitee, CalendlyScheduledEvent, CalendlyWebhookDelivery } from '../../src/calendly/calendly.types';

/**
 * A webhook delivery body as Calendly posts it: `invitee.*` carry the invitee with its
 * `scheduled_event`; pass `payload` to send anything else (a no-show resource, a broken record).
 */
export function buildWebhookDelivery(
  event: string,
  record: { invitee: CalendlyInvitee | Record<string, unknown>; scheduledEvent?: CalendlyScheduledEvent | Record<string, unknown> } | { payload: Record<string, unknown> },
  createdAt = '2026-03-01T12:00:00.000000Z',
): CalendlyWebhookDelivery {
  const payload = 'payload' in record
    ? record.payload
    : { ...record.invitee, ...(record.scheduledEvent ? { scheduled_event: record.scheduledEvent } : {}) };
  return { event, created_at: createdAt, created_by: 'https://api.calendly.com/users/HOST000000000001', payload };
}
