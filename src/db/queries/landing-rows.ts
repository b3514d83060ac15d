// The typed rows of the landing tables calendly_scheduled_events and calendly_event_invitees
// (and their per-run scratch copies), as the sync maps them from API payloads.

export interface EventRow {
  uri: string;
  uuid: string;
  name: string | null;
  status: string;
  start_time: string;
  end_time: string | null;
  event_type_uri: string | null;
  organizer_user_uri: string | null;
  organizer_email: string | null;
  organizer_name: string | null;
  invitees_total: number | null;
  invitees_active: number | null;
  canceled_at: string | null;
  created_at: string | null;
  updated_at: string;
  raw: unknown;
}

/** EventRow's columns as `jsonb_to_recordset(...) as r (...)` reads a JSON array of them. */
export const EVENT_ROW_COLUMNS = `
    uri text, uuid text, name text, status text, start_time timestamptz, end_time timestamptz,
    event_type_uri text, organizer_user_uri text, organizer_email text, organizer_name text,
    invitees_total integer, invitees_active integer, canceled_at timestamptz, created_at timestamptz, updated_at timestamptz, raw jsonb`;

/** InviteeRow's columns as `jsonb_to_recordset(...) as r (...)` reads a JSON array of them. */
export const INVITEE_ROW_COLUMNS = `
    uri text, event_uri text, email text, name text, status text, is_rescheduled boolean,
    old_invitee_uri text, new_invitee_uri text, no_show_uri text, no_show_marked_at timestamptz,
    canceled_at timestamptz, created_at timestamptz, updated_at timestamptz, raw jsonb`;

export interface InviteeRow {
  uri: string;
  event_uri: string;
  email: string;
  name: string | null;
  status: string;
  is_rescheduled: boolean;
  old_invitee_uri: string | null;
  new_invitee_uri: string | null;
  no_show_uri: string | null;
  no_show_marked_at: string | null;
  canceled_at: string | null;
  created_at: string | null;
  updated_at: string;
  raw: unknown;
}
