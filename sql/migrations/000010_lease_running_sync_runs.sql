-- The `running` row is the claim on "one sync at a time" (sync_runs_one_running_idx makes it
-- unique). A claim lives only as long as its owner keeps renewing it: a process that dies, or
-- loses its database connection for good, stops renewing, and the next claimer fails the row.
-- Before this, a session advisory lock on one idle connection was the claim: when that
-- connection dropped, a second process started a second run while the first one was still going.
--
-- The expiry is stored, not computed from a shared constant, so processes with different lease
-- lengths (tests, a future setting) still agree on when a claim lapsed. Existing rows get the
-- migration's instant: a row still `running` from before leases existed counts as expired.

alter table sync_runs
    add column lease_expires_at timestamptz not null default now(),
    add column owner text;

comment on column sync_runs.lease_expires_at is 'While running: when the claim lapses unless its owner renews it; another process may then fail the run. Afterwards: the last renewal''s expiry.';
comment on column sync_runs.owner is 'The process that claimed the run (host:pid:random id), for logs and errors; null for runs before leases.';
comment on index sync_runs_one_running_idx is 'The run claim: at most one running row anywhere.';
