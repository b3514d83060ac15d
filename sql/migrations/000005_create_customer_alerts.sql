-- Alerts with a lifecycle (metrics.md §3): one open row per (customer, type).

create table customer_alerts (
    id integer generated always as identity primary key,
    customer_email text not null,
    alert_type text not null check (alert_type in ('low_show_rate', 'no_show_streak', 'no_upcoming_calls', 'am_change')),
    details jsonb not null,
    opened_at timestamptz not null,
    last_seen_at timestamptz not null,
    resolved_at timestamptz,
    opened_run_id integer not null references sync_runs (id),
    last_seen_run_id integer not null references sync_runs (id),
    resolved_run_id integer references sync_runs (id)
);

create unique index customer_alerts_one_open_idx on customer_alerts (customer_email, alert_type) where resolved_at is null;
create index customer_alerts_customer_email_idx on customer_alerts (customer_email, opened_at desc);
create index customer_alerts_open_type_idx on customer_alerts (alert_type, customer_email) where resolved_at is null;

comment on table customer_alerts is 'Call-health alerts per customer; at most one open row per (customer, type) (metrics.md §3).';
comment on column customer_alerts.id is 'Alert id.';
comment on column customer_alerts.customer_email is 'unified_customers.email of the customer.';
comment on column customer_alerts.alert_type is 'low_show_rate, no_show_streak, no_upcoming_calls or am_change.';
comment on column customer_alerts.details is 'The figures that triggered the alert, refreshed each run while it holds.';
comment on column customer_alerts.opened_at is 'as_of of the run that opened the alert.';
comment on column customer_alerts.last_seen_at is 'as_of of the latest run in which the condition held.';
comment on column customer_alerts.resolved_at is 'as_of of the run in which the condition stopped holding; null while open.';
comment on column customer_alerts.opened_run_id is 'The run that opened the alert.';
comment on column customer_alerts.last_seen_run_id is 'The latest run in which the condition held.';
comment on column customer_alerts.resolved_run_id is 'The run that resolved the alert.';
