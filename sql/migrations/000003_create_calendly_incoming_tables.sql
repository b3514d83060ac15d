-- Per-run scratch copies of the landing tables. A run writes its pages here as they arrive
-- (so memory stays flat), and merges them into the landing tables only in its final
-- transaction, so a failed fetch leaves earlier staging data as it was.
-- Unlogged: the rows are disposable and rewritten on every run.

create unlogged table calendly_incoming_events (like calendly_scheduled_events including defaults including comments);
create index calendly_incoming_events_run_idx on calendly_incoming_events (last_seen_run_id);
comment on table calendly_incoming_events is 'Scratch: scheduled events fetched by a run still in progress; merged into calendly_scheduled_events when the run succeeds, then deleted.';
comment on column calendly_incoming_events.uri is 'Calendly URI of the scheduled event (may repeat within a run when pages shift).';
comment on column calendly_incoming_events.last_seen_run_id is 'sync_runs.id of the run that fetched this copy.';

create unlogged table calendly_incoming_invitees (like calendly_event_invitees including defaults including comments);
create index calendly_incoming_invitees_run_idx on calendly_incoming_invitees (last_seen_run_id);
comment on table calendly_incoming_invitees is 'Scratch: invitees fetched by a run still in progress; merged into calendly_event_invitees when the run succeeds, then deleted.';
comment on column calendly_incoming_invitees.uri is 'Calendly URI of the invitee (may repeat within a run when pages shift).';
comment on column calendly_incoming_invitees.last_seen_run_id is 'sync_runs.id of the run that fetched this copy.';
