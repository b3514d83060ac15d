// Payloads as Calendly API v2 sends them (see shared/spec/calendly-api.md).
// Fields the sync validates itself (`email`, `status`, `start_time`) are typed as possibly
// missing or malformed: the client passes records through and never rejects them.

/** ISO-8601 UTC timestamp with microseconds, e.g. `2026-03-14T15:00:00.000000Z`. */
export type CalendlyTimestamp = string;
/** Full resource URI; the uuid is the last path segment. */
export type CalendlyUri = string;

export type CalendlyStatus = 'active' | 'canceled';

export interface CalendlyUser {
  uri: CalendlyUri;
  name: string;
  slug: string;
  email: string;
  scheduling_url: string;
  timezone: string;
  avatar_url: string | null;
  created_at: CalendlyTimestamp;
  updated_at: CalendlyTimestamp;
  /** The organisation URI `/scheduled_events` needs. */
  current_organization: CalendlyUri;
  resource_type: string;
  locale: string;
}

export interface CalendlyCancellation {
  canceled_by: string;
  reason: string | null;
  canceler_type: 'host' | 'invitee';
  created_at: CalendlyTimestamp;
}

export interface CalendlyEventMembership {
  user: CalendlyUri;
  user_email: string;
  user_name: string;
  buffered_start_time?: CalendlyTimestamp;
  buffered_end_time?: CalendlyTimestamp;
}

export interface CalendlyEventGuest {
  email: string;
  created_at: CalendlyTimestamp;
  updated_at: CalendlyTimestamp;
}

/** Varies by location type (zoom, google_conference, physical, outbound_call, ...). */
export interface CalendlyLocation {
  type: string;
  location?: string | null;
  join_url?: string;
  status?: string | null;
  data?: Record<string, unknown>;
  [key: string]: unknown;
}

export interface CalendlyInviteesCounter {
  total: number;
  active: number;
  limit: number;
}

export interface CalendlyCalendarEvent {
  kind: string;
  external_id: string;
}

export interface CalendlyScheduledEvent {
  uri: CalendlyUri;
  name: string;
  /** `active` | `canceled` in practice; validated by the sync (missing, null or other → invalid_status). */
  status?: CalendlyStatus | string | null;
  /** Validated by the sync (missing or not a real ISO-8601 instant → invalid_start_time). */
  start_time?: CalendlyTimestamp | null;
  end_time: CalendlyTimestamp;
  event_type: CalendlyUri;
  location: CalendlyLocation | null;
  invitees_counter: CalendlyInviteesCounter;
  created_at: CalendlyTimestamp;
  updated_at: CalendlyTimestamp;
  event_memberships: CalendlyEventMembership[];
  event_guests: CalendlyEventGuest[];
  meeting_notes_plain?: string | null;
  meeting_notes_html?: string | null;
  calendar_event?: CalendlyCalendarEvent | null;
  /** Present on canceled events. */
  cancellation?: CalendlyCancellation;
}

export interface CalendlyNoShow {
  uri: CalendlyUri;
  created_at: CalendlyTimestamp;
}

export interface CalendlyQuestionAndAnswer {
  question: string;
  answer: string;
  position: number;
}

export interface CalendlyTracking {
  utm_campaign: string | null;
  utm_source: string | null;
  utm_medium: string | null;
  utm_content: string | null;
  utm_term: string | null;
  salesforce_uuid: string | null;
}

export interface CalendlyInvitee {
  uri: CalendlyUri;
  /** Validated by the sync (missing, null or blank after trim → missing_email). */
  email?: string | null;
  name: string;
  first_name: string | null;
  last_name: string | null;
  status: CalendlyStatus | string;
  timezone: string | null;
  /** URI of the scheduled event. */
  event: CalendlyUri;
  created_at: CalendlyTimestamp;
  updated_at: CalendlyTimestamp;
  rescheduled: boolean;
  old_invitee: CalendlyUri | null;
  new_invitee: CalendlyUri | null;
  cancel_url: string;
  reschedule_url: string;
  /** Present when canceled. */
  cancellation?: CalendlyCancellation;
  /** An object when the host marked a no-show, else `null` (never a boolean). */
  no_show: CalendlyNoShow | null;
  questions_and_answers: CalendlyQuestionAndAnswer[];
  tracking: CalendlyTracking;
  text_reminder_number: string | null;
  routing_form_submission: CalendlyUri | null;
  payment: Record<string, unknown> | null;
  reconfirmation: { created_at: CalendlyTimestamp; confirmed_at: CalendlyTimestamp | null } | null;
  scheduling_method: string | null;
  invitee_scheduled_by: CalendlyUri | null;
}

export interface CalendlyPagination {
  count: number;
  next_page: string | null;
  previous_page: string | null;
  next_page_token: string | null;
  previous_page_token: string | null;
}

export interface CalendlyPage<T> {
  collection: T[];
  pagination: CalendlyPagination;
}

export interface CalendlyResource<T> {
  resource: T;
}

export interface CalendlyErrorDetail {
  parameter: string;
  message: string;
}

export interface CalendlyErrorBody {
  title: string;
  message: string;
  details?: CalendlyErrorDetail[];
}

/** The webhook events this service subscribes to (interfaces.md, "Other HTTP endpoints"). */
export const CALENDLY_WEBHOOK_EVENTS = [
  'invitee.created', 'invitee.canceled', 'invitee_no_show.created', 'invitee_no_show.deleted',
] as const;

export type CalendlyWebhookEvent = (typeof CALENDLY_WEBHOOK_EVENTS)[number];

export interface CalendlyWebhookSubscription {
  uri: CalendlyUri;
  callback_url: string;
  state: 'active' | 'disabled' | string;
  events: string[];
  scope: 'organization' | 'user' | 'group' | string;
  organization: CalendlyUri;
  user: CalendlyUri | null;
  creator: CalendlyUri | null;
  created_at: CalendlyTimestamp;
  updated_at: CalendlyTimestamp;
  retry_started_at: CalendlyTimestamp | null;
}

/**
 * A webhook delivery's body. `payload` is the invitee (with its `scheduled_event`) for
 * `invitee.*`; for no-shows Calendly does not document it, so it is read defensively.
 */
export interface CalendlyWebhookDelivery {
  event: string;
  created_at: CalendlyTimestamp;
  created_by: CalendlyUri;
  payload: Record<string, unknown>;
}
