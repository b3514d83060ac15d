-- Run record (metrics.md §4) and refused records (metrics.md §5).

create table sync_runs (
    id integer generated always as identity primary key,
    trigger text not null,
    status text not null check (status in ('running', 'succeeded', 'failed')),
    as_of timestamptz not null,
    window_start timestamptz not null,
    window_end timestamptz not null,
    started_at timestamptz not null default now(),
    finished_at timestamptz,
    error text,
    events_processed integer not null default 0,
    invitees_processed integer not null default 0,
    customers_updated integer,
    no_shows_detected integer,
    upcoming_calls integer,
    avg_show_rate numeric(5, 2),
    records_rejected integer not null default 0,
    models jsonb
);

-- At most one running sync anywhere: a second insert while one runs is a unique violation.
create unique index sync_runs_one_running_idx on sync_runs ((true)) where status = 'running';
create index sync_runs_started_at_idx on sync_runs (started_at desc);

comment on table sync_runs is 'One row per sync run: its window, outcome and figures (metrics.md §4).';
comment on column sync_runs.id is 'Run id.';
comment on column sync_runs.trigger is 'What started the run: schedule, api or cli.';
comment on column sync_runs.status is 'running, succeeded or failed.';
comment on column sync_runs.as_of is 'The instant every rule of the run is evaluated against (the run''s start).';
comment on column sync_runs.window_start is 'as_of minus the lookback days: earliest event start_time in the window.';
comment on column sync_runs.window_end is 'as_of plus the lookahead days: latest event start_time in the window.';
comment on column sync_runs.started_at is 'When the run started.';
comment on column sync_runs.finished_at is 'When the run ended, successfully or not.';
comment on column sync_runs.error is 'Readable reason a failed run failed; null otherwise.';
comment on column sync_runs.events_processed is 'Scheduled events fetched from Calendly in this run.';
comment on column sync_runs.invitees_processed is 'Invitees fetched from Calendly in this run.';
comment on column sync_runs.customers_updated is 'Customers with at least one booking (rescheduled included) in the window.';
comment on column sync_runs.no_shows_detected is 'No-show bookings in the window.';
comment on column sync_runs.upcoming_calls is 'Upcoming bookings in the window.';
comment on column sync_runs.avg_show_rate is 'Mean of the non-null show_rate over the customers in the window, 2 decimals.';
comment on column sync_runs.records_rejected is 'Records refused by validation: a refused event once, plus once per invitee of it.';
comment on column sync_runs.models is 'Models and data tests the run executed: name, sha256 of the file, duration in ms.';

create table calendly_rejected_records (
    id integer generated always as identity primary key,
    run_id integer not null references sync_runs (id),
    record_type text not null check (record_type in ('scheduled_event', 'invitee')),
    uri text,
    reason text not null check (reason in ('missing_email', 'invalid_start_time', 'invalid_status')),
    raw jsonb not null,
    rejected_at timestamptz not null default now()
);

create index calendly_rejected_records_run_id_idx on calendly_rejected_records (run_id);

comment on table calendly_rejected_records is 'Calendly records refused by validation, kept with their raw payload (metrics.md §5).';
comment on column calendly_rejected_records.id is 'Row id.';
comment on column calendly_rejected_records.run_id is 'The sync run that refused the record.';
comment on column calendly_rejected_records.record_type is 'scheduled_event or invitee.';
comment on column calendly_rejected_records.uri is 'Calendly URI of the refused record, when it has one.';
comment on column calendly_rejected_records.reason is 'missing_email, invalid_start_time or invalid_status.';
comment on column calendly_rejected_records.raw is 'The record exactly as the API returned it.';
comment on column calendly_rejected_records.rejected_at is 'When it was refused.';
