-- Calendly webhook deliveries (interfaces.md, POST /webhooks/calendly) land records outside any
-- run: straight into staging by the same latest-wins merge as a run's scratch rows, and their
-- refusals into calendly_rejected_records (metrics.md §5), both without a run id.

alter table calendly_scheduled_events alter column last_seen_run_id drop not null;
alter table calendly_event_invitees alter column last_seen_run_id drop not null;

comment on column calendly_scheduled_events.last_seen_run_id is
    'sync_runs.id of the run that last wrote this row; null when a webhook delivery wrote it last.';
comment on column calendly_event_invitees.last_seen_run_id is
    'sync_runs.id of the run that last wrote this row; null when a webhook delivery wrote it last.';

alter table calendly_rejected_records
    alter column run_id drop not null,
    add column webhook_event text,
    add constraint calendly_rejected_records_source_check check (run_id is not null or webhook_event is not null);

comment on column calendly_rejected_records.run_id is
    'The sync run that refused the record; null when a webhook delivery carried it (see webhook_event).';
comment on column calendly_rejected_records.webhook_event is
    'The webhook event (invitee.created, invitee.canceled, invitee_no_show.created, invitee_no_show.deleted) whose delivery carried the refused record; null for a record a run fetched.';

comment on column sync_runs.trigger is
    'What started the run: schedule, api, cli, demo, or webhook (a refresh of the models after webhook deliveries).';
