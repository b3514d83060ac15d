-- Landing tables for raw Calendly records (metrics.md §1, interfaces.md "Tables").
-- Keyed by the Calendly uri; the most recently updated copy wins.

create table calendly_scheduled_events (
    uri text primary key,
    uuid text not null,
    name text,
    status text not null,
    start_time timestamptz not null,
    end_time timestamptz,
    event_type_uri text,
    organizer_user_uri text,
    organizer_email text,
    organizer_name text,
    invitees_total integer,
    canceled_at timestamptz,
    created_at timestamptz,
    updated_at timestamptz not null,
    raw jsonb not null,
    last_seen_run_id integer not null,
    loaded_at timestamptz not null default now()
);

create index calendly_scheduled_events_start_time_idx on calendly_scheduled_events (start_time);

comment on table calendly_scheduled_events is 'Calendly scheduled events as last fetched (one row per event uri); typed columns plus the raw API payload.';
comment on column calendly_scheduled_events.uri is 'Calendly URI of the scheduled event (primary key).';
comment on column calendly_scheduled_events.uuid is 'Last path segment of the uri.';
comment on column calendly_scheduled_events.name is 'Event name as shown to invitees.';
comment on column calendly_scheduled_events.status is 'Event status: active or canceled.';
comment on column calendly_scheduled_events.start_time is 'When the event starts (UTC).';
comment on column calendly_scheduled_events.end_time is 'When the event ends (UTC).';
comment on column calendly_scheduled_events.event_type_uri is 'URI of the event type this event was booked from.';
comment on column calendly_scheduled_events.organizer_user_uri is 'event_memberships[0].user: the organizing host.';
comment on column calendly_scheduled_events.organizer_email is 'event_memberships[0].user_email.';
comment on column calendly_scheduled_events.organizer_name is 'event_memberships[0].user_name.';
comment on column calendly_scheduled_events.invitees_total is 'invitees_counter.total as reported by Calendly.';
comment on column calendly_scheduled_events.canceled_at is 'cancellation.created_at for canceled events.';
comment on column calendly_scheduled_events.created_at is 'When Calendly created the event.';
comment on column calendly_scheduled_events.updated_at is 'When Calendly last updated the event; a newer or equal copy replaces the row.';
comment on column calendly_scheduled_events.raw is 'The event exactly as the API returned it.';
comment on column calendly_scheduled_events.last_seen_run_id is 'sync_runs.id of the run that last wrote this row.';
comment on column calendly_scheduled_events.loaded_at is 'When this row was last written.';

create table calendly_event_invitees (
    uri text primary key,
    event_uri text not null,
    email text,
    name text,
    status text not null,
    is_rescheduled boolean not null default false,
    old_invitee_uri text,
    new_invitee_uri text,
    no_show_uri text,
    no_show_marked_at timestamptz,
    canceled_at timestamptz,
    created_at timestamptz,
    updated_at timestamptz not null,
    raw jsonb not null,
    last_seen_run_id integer not null,
    loaded_at timestamptz not null default now()
);

create index calendly_event_invitees_event_uri_idx on calendly_event_invitees (event_uri);

comment on table calendly_event_invitees is 'Calendly invitees as last fetched (one row per invitee uri); typed columns plus the raw API payload.';
comment on column calendly_event_invitees.uri is 'Calendly URI of the invitee (primary key).';
comment on column calendly_event_invitees.event_uri is 'URI of the scheduled event the invitee booked.';
comment on column calendly_event_invitees.email is 'Email as Calendly sent it (not normalised; models use lower(trim(email))).';
comment on column calendly_event_invitees.name is 'Invitee name.';
comment on column calendly_event_invitees.status is 'Invitee status: active or canceled (an invitee can leave a group event).';
comment on column calendly_event_invitees.is_rescheduled is 'rescheduled: the invitee was replaced by a new booking.';
comment on column calendly_event_invitees.old_invitee_uri is 'The invitee this one replaced, when it is the result of a reschedule.';
comment on column calendly_event_invitees.new_invitee_uri is 'The invitee that replaced this one, when it was rescheduled.';
comment on column calendly_event_invitees.no_show_uri is 'no_show.uri: set when the host marked the invitee as a no-show.';
comment on column calendly_event_invitees.no_show_marked_at is 'no_show.created_at: when the no-show mark was made.';
comment on column calendly_event_invitees.canceled_at is 'cancellation.created_at for canceled invitees.';
comment on column calendly_event_invitees.created_at is 'When the invitee booked.';
comment on column calendly_event_invitees.updated_at is 'When Calendly last updated the invitee; a newer or equal copy replaces the row.';
comment on column calendly_event_invitees.raw is 'The invitee exactly as the API returned it.';
comment on column calendly_event_invitees.last_seen_run_id is 'sync_runs.id of the run that last wrote this row.';
comment on column calendly_event_invitees.loaded_at is 'When this row was last written.';
