import type { CalendlyInvitee } from '../../src/calendly/calendly.types';
import { buildCancellation, factoryUuid } from './scheduled-event.factory';

let inviteeCounter = 0;

/**
 * A complete `GET /scheduled_events/{uuid}/invitees` item: active, not rescheduled, no no-show.
 * Pass `event: ev.uri` to attach it (the invitee uri is nested under the event, as in Calendly).
 * `status: 'canceled'` gets an invitee cancellation unless one is given. An override set to
 * `undefined` removes the key (e.g. `{ email: undefined }` for a payload without email).
 */
export function buildInvitee(overrides: Partial<CalendlyInvitee> = {}): CalendlyInvitee {
  inviteeCounter += 1;
  const uuid = factoryUuid('INV', inviteeCounter);
  const event = overrides.event ?? `https://api.calendly.com/scheduled_events/${factoryUuid('EVI', inviteeCounter)}`;
  const created = overrides.created_at ?? '2026-02-23T10:00:00.000000Z';
  const invitee: CalendlyInvitee = {
    uri: `${event}/invitees/${uuid}`,
    email: `customer${inviteeCounter}@example.com`,
    name: `Customer ${inviteeCounter}`,
    first_name: 'Customer',
    last_name: String(inviteeCounter),
    status: 'active',
    timezone: 'Europe/Paris',
    event,
    created_at: created,
    updated_at: overrides.updated_at ?? created,
    rescheduled: false,
    old_invitee: null,
    new_invitee: null,
    cancel_url: `https://calendly.com/cancellations/${uuid}`,
    reschedule_url: `https://calendly.com/reschedulings/${uuid}`,
    no_show: null,
    questions_and_answers: [{ question: 'What would you like to discuss?', answer: 'Onboarding', position: 0 }],
    tracking: { utm_campaign: null, utm_source: null, utm_medium: null, utm_content: null, utm_term: null, salesforce_uuid: null },
    text_reminder_number: null,
    routing_form_submission: null,
    payment: null,
    reconfirmation: null,
    scheduling_method: null,
    invitee_scheduled_by: null,
  };
  if (overrides.status === 'canceled' && !('cancellation' in overrides)) {
    invitee.cancellation = buildCancellation({
      canceled_by: overrides.name ?? invitee.name,
      canceler_type: 'invitee',
      reason: overrides.rescheduled ? 'Rescheduled' : 'Can no longer make it',
      created_at: invitee.updated_at,
    });
  }
  for (const [key, value] of Object.entries(overrides)) {
    if (value === undefined) delete (invitee as unknown as Record<string, unknown>)[key];
    else (invitee as unknown as Record<string, unknown>)[key] = value;
  }
  return invitee;
}

/** A no-show mark as Calendly sends it: `{ uri, created_at }`. */
export function buildNoShow(createdAt = '2026-03-02T18:00:00.000000Z'): NonNullable<CalendlyInvitee['no_show']> {
  inviteeCounter += 1;
  return { uri: `https://api.calendly.com/invitee_no_shows/${factoryUuid('NSW', inviteeCounter)}`, created_at: createdAt };
}

/** An old/new invitee pair linked as a reschedule: the old one canceled with `rescheduled: true`. */
export function buildRescheduledPair(oldOverrides: Partial<CalendlyInvitee> = {}, newOverrides: Partial<CalendlyInvitee> = {}): {
  oldInvitee: CalendlyInvitee;
  newInvitee: CalendlyInvitee;
} {
  const newInvitee = buildInvitee(newOverrides);
  const oldInvitee = buildInvitee({
    email: newInvitee.email, name: newInvitee.name, status: 'canceled', rescheduled: true, new_invitee: newInvitee.uri, ...oldOverrides,
  });
  newInvitee.old_invitee = oldInvitee.uri;
  return { oldInvitee, newInvitee };
}
