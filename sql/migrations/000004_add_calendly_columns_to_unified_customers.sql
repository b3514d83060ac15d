-- unified_customers is shared with other syncs (CRM, billing): create it only if missing,
-- add only the columns this service needs and only if missing; never drop, rename or
-- rewrite another source's columns (metrics.md §2). Columns are nullable with no default:
-- NULL means this service has not written the row (last_calendly_sync is null).

create table if not exists unified_customers (
    email text primary key
);

alter table unified_customers
    add column if not exists hubspot_owner_email text,
    add column if not exists is_high_value boolean,
    add column if not exists total_calls_booked integer,
    add column if not exists calls_completed integer,
    add column if not exists calls_no_show integer,
    add column if not exists calls_canceled integer,
    add column if not exists calls_rescheduled integer,
    add column if not exists calls_upcoming integer,
    add column if not exists show_rate numeric(5, 2),
    add column if not exists last_call_date timestamptz,
    add column if not exists next_call_date timestamptz,
    add column if not exists current_no_show_streak integer,
    add column if not exists calendly_organizer_name text,
    add column if not exists calendly_organizer_email text,
    add column if not exists assigned_am text,
    add column if not exists assigned_am_email text,
    add column if not exists assigned_am_source text,
    add column if not exists calendly_user_id text,
    add column if not exists calendly_quality_points integer,
    add column if not exists calendly_health_points integer,
    add column if not exists calendly_score_factors jsonb,
    add column if not exists last_calendly_sync timestamptz;

-- Serve the API's sorts and filters without scanning 200k rows.
create index if not exists unified_customers_show_rate_idx on unified_customers (show_rate, email);
create index if not exists unified_customers_health_points_idx on unified_customers (calendly_health_points, email);
create index if not exists unified_customers_next_call_date_idx on unified_customers (next_call_date, email);
create index if not exists unified_customers_last_call_date_idx on unified_customers (last_call_date, email);
create index if not exists unified_customers_total_calls_booked_idx on unified_customers (total_calls_booked, email);
create index if not exists unified_customers_assigned_am_email_idx on unified_customers (lower(assigned_am_email));
create index if not exists unified_customers_last_calendly_sync_idx on unified_customers (last_calendly_sync) where last_calendly_sync is not null;

comment on table unified_customers is 'One row per customer email, shared by several syncs; the calendly_* and call columns are written by calendly-sync (metrics.md §2).';
comment on column unified_customers.email is 'Customer key: lower(trim(email)).';
comment on column unified_customers.hubspot_owner_email is 'Owner in HubSpot (written by the CRM sync; read here for the am_change alert).';
comment on column unified_customers.is_high_value is 'High-value flag (written by another source; read here for the no_upcoming_calls alert).';
comment on column unified_customers.total_calls_booked is 'Bookings in the window, excluding rescheduled ones (canceled, past and future all count).';
comment on column unified_customers.calls_completed is 'Due, non-canceled bookings without a no-show mark.';
comment on column unified_customers.calls_no_show is 'Due, non-canceled bookings the host marked as no-show.';
comment on column unified_customers.calls_canceled is 'Bookings canceled (event or invitee) and not rescheduled.';
comment on column unified_customers.calls_rescheduled is 'Bookings replaced by a reschedule.';
comment on column unified_customers.calls_upcoming is 'Non-canceled bookings starting after as_of.';
comment on column unified_customers.show_rate is '100 * completed / due bookings, 2 decimals; null when none are due.';
comment on column unified_customers.last_call_date is 'Start of the latest completed booking.';
comment on column unified_customers.next_call_date is 'Start of the earliest upcoming booking; always after as_of.';
comment on column unified_customers.current_no_show_streak is 'No-shows among due, non-canceled bookings, newest first, before the first completed one.';
comment on column unified_customers.calendly_organizer_name is 'Organizer (first host) of the latest non-canceled booking (any booking if all are canceled).';
comment on column unified_customers.calendly_organizer_email is 'Email of that organizer.';
comment on column unified_customers.assigned_am is 'Account manager; set from the organizer only when empty or previously set by calendly-sync.';
comment on column unified_customers.assigned_am_email is 'Account manager email (same rule as assigned_am).';
comment on column unified_customers.assigned_am_source is 'Who set assigned_am: calendly when this service did.';
comment on column unified_customers.calendly_user_id is 'Invitee uri of the latest booking (the same one the organizer comes from).';
comment on column unified_customers.calendly_quality_points is 'Quality score 0..40 (metrics.md §2).';
comment on column unified_customers.calendly_health_points is 'Health score -35..15 (metrics.md §2).';
comment on column unified_customers.calendly_score_factors is 'The score factors that applied: [{score, factor, points}].';
comment on column unified_customers.last_calendly_sync is 'as_of of the run that last wrote this row; null if calendly-sync never did.';
