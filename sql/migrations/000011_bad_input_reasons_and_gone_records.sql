-- metrics.md §5: two more reasons a record is refused (missing_uri, invalid_email).
alter table calendly_rejected_records drop constraint if exists calendly_rejected_records_reason_check;
alter table calendly_rejected_records add constraint calendly_rejected_records_reason_check
    check (reason in ('missing_uri', 'missing_email', 'invalid_email', 'invalid_start_time', 'invalid_status'));

comment on column calendly_rejected_records.reason is
    'missing_uri, missing_email, invalid_email, invalid_start_time or invalid_status (metrics.md §5).';
comment on column calendly_rejected_records.raw is
    'The record as the API returned it; U+0000 and lone surrogates, which PostgreSQL cannot store, as U+FFFD.';
comment on column calendly_scheduled_events.raw is
    'The event as the API returned it; U+0000 and lone surrogates, which PostgreSQL cannot store, as U+FFFD.';
comment on column calendly_event_invitees.raw is
    'The invitee as the API returned it; U+0000 and lone surrogates, which PostgreSQL cannot store, as U+FFFD.';
comment on column calendly_incoming_events.raw is
    'The event as the API returned it; U+0000 and lone surrogates, which PostgreSQL cannot store, as U+FFFD.';
comment on column calendly_incoming_invitees.raw is
    'The invitee as the API returned it; U+0000 and lone surrogates, which PostgreSQL cannot store, as U+FFFD.';

-- metrics.md §1 "Gone": Calendly returns no deleted records. A staged record that a complete
-- read no longer returns is kept and marked with the run that noticed; the staging models leave
-- it out of every metric, and the next run that sees it clears the mark.
alter table calendly_scheduled_events
    add column gone_at timestamptz,
    add column gone_run_id integer;

alter table calendly_event_invitees
    add column gone_at timestamptz,
    add column gone_run_id integer;

comment on column calendly_scheduled_events.gone_at is
    'When a run that read the complete event list of a window holding start_time no longer found the event; null while Calendly returns it.';
comment on column calendly_scheduled_events.gone_run_id is
    'sync_runs.id of the run that marked the event gone; null while Calendly returns it.';
comment on column calendly_event_invitees.gone_at is
    'When a run that read the event''s complete invitee list no longer found the invitee; null while Calendly returns it.';
comment on column calendly_event_invitees.gone_run_id is
    'sync_runs.id of the run that marked the invitee gone; null while Calendly returns it.';

-- Gone rows are few: these let each run find the ones it sees again without a full scan.
create index calendly_scheduled_events_gone_idx on calendly_scheduled_events (uri) where gone_at is not null;
create index calendly_event_invitees_gone_idx on calendly_event_invitees (uri) where gone_at is not null;

-- Which events' invitee lists a run read completely: only their staged invitees can be marked
-- gone. A full run reads every accepted event's list; a run that reads only some would say so here.
alter table calendly_incoming_events
    add column invitee_list_read boolean not null default false;

comment on column calendly_incoming_events.invitee_list_read is
    'Whether this run reads the event''s complete invitee list, so that a staged invitee the list no longer holds is marked gone.';
