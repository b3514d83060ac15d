-- metrics.md §6: what a run reads from Calendly. An incremental run re-reads an event's invitees
-- only when the listed event differs from the staged copy in updated_at, status or
-- invitees_counter (total, active), or started within the settle window; §4: the run records
-- how it read and what it cost.

-- invitees_counter.active moves when one invitee of a group leaves (total does not).
alter table calendly_scheduled_events add column invitees_active integer;
alter table calendly_incoming_events add column invitees_active integer;

comment on column calendly_scheduled_events.invitees_active is
    'invitees_counter.active as reported by Calendly; with updated_at, status and invitees_total it tells an incremental run whether the staged invitees are still current.';
comment on column calendly_incoming_events.invitees_active is
    'invitees_counter.active as reported by Calendly.';

-- Staged rows predate the column: fill it from the payload the way the sync maps it (a 32-bit
-- integer, else null), so the next run compares like with like.
update calendly_scheduled_events
set invitees_active = (raw -> 'invitees_counter' ->> 'active')::bigint
where jsonb_typeof(raw -> 'invitees_counter' -> 'active') = 'number'
    and (raw -> 'invitees_counter' ->> 'active') ~ '^-?[0-9]{1,10}$'
    and abs((raw -> 'invitees_counter' ->> 'active')::bigint) <= 2147483647;

alter table sync_runs
    add column fetch_mode text check (fetch_mode in ('full', 'incremental', 'none')),
    add column requests_made integer not null default 0,
    add column invitee_reads_skipped integer not null default 0;

comment on column sync_runs.fetch_mode is
    'full (every event''s invitees read), incremental (only new, changed or settling events'' invitees read) or none (a refresh that reads nothing from Calendly); null for runs recorded before this column existed (metrics.md §6).';
comment on column sync_runs.requests_made is
    'HTTP requests this run sent to Calendly, retries included.';
comment on column sync_runs.invitee_reads_skipped is
    'Events in the window whose invitees this run did not re-read (their staged invitees were current); 0 for a full run.';

-- The full-or-incremental decision looks for the latest successful full run.
create index sync_runs_full_as_of_idx on sync_runs (as_of desc) where status = 'succeeded' and fetch_mode = 'full';
