-- grain: one row per alert episode (customer, alert type, opened_at) — metrics.md §3
-- Evaluated over every row of unified_customers, whichever source created it. While a condition
-- holds its open alert is refreshed (same row); when it stops the alert is resolved; when it
-- comes back a new row opens.

-- 1. The conditions that hold now: one row per (customer, alert type), with the figures behind it
--    and the id of the alert already open for it, if any. Matched here, before any write, so the
--    lifecycle statement never searches the table it is inserting into.
drop table if exists pg_temp.customer_alerts__conditions;

create temp table customer_alerts__conditions on commit drop as

with

customers as (

    select
        email,
        is_high_value,
        hubspot_owner_email,
        calendly_organizer_email,
        total_calls_booked,
        calls_completed,
        calls_no_show,
        calls_canceled,
        show_rate,
        current_no_show_streak,
        last_call_date,
        next_call_date
    from unified_customers

),

-- Which of the four conditions of §3 hold. am_change compares both emails by the customer key
-- (trimmed, lowercased; migration 000008); the null checks come first so the rows without a
-- HubSpot owner, most of them, skip the normalisation.
customer_conditions as (

    select
        customers.*,
        (customers.show_rate < 50 and customers.total_calls_booked >= 3) as has_low_show_rate,
        (customers.current_no_show_streak >= 3) as has_no_show_streak,
        (customers.is_high_value is true and customers.next_call_date is null) as has_no_upcoming_calls,
        (
            customers.hubspot_owner_email is not null
            and customers.calendly_organizer_email is not null
            and calendly_customer_key(customers.hubspot_owner_email)
                <> calendly_customer_key(customers.calendly_organizer_email)
        ) as has_am_change
    from customers

),

-- the customers with at least one alert, before the per-type rows are built for them
alerting_customers as (

    select *
    from customer_conditions
    where has_low_show_rate or has_no_show_streak or has_no_upcoming_calls or has_am_change

),

open_alerts as (

    select
        id,
        customer_email,
        alert_type
    from customer_alerts
    where resolved_at is null

),

conditions as (

    select
        alerting_customers.email as customer_email,
        alerts.alert_type,
        alerts.details
    from alerting_customers
    cross join lateral (
        values
            (
                'low_show_rate',
                case
                    when alerting_customers.has_low_show_rate
                        then jsonb_build_object(
                            'show_rate', alerting_customers.show_rate,
                            'total_calls_booked', alerting_customers.total_calls_booked,
                            'calls_completed', alerting_customers.calls_completed,
                            'calls_no_show', alerting_customers.calls_no_show,
                            'calls_canceled', alerting_customers.calls_canceled
                        )
                end
            ),
            (
                'no_show_streak',
                case
                    when alerting_customers.has_no_show_streak
                        then jsonb_build_object(
                            'current_no_show_streak', alerting_customers.current_no_show_streak,
                            'calls_no_show', alerting_customers.calls_no_show,
                            'last_call_date', alerting_customers.last_call_date
                        )
                end
            ),
            (
                'no_upcoming_calls',
                case
                    when alerting_customers.has_no_upcoming_calls
                        then jsonb_build_object(
                            'is_high_value', alerting_customers.is_high_value,
                            'next_call_date', alerting_customers.next_call_date,
                            'last_call_date', alerting_customers.last_call_date
                        )
                end
            ),
            (
                'am_change',
                case
                    when alerting_customers.has_am_change
                        then jsonb_build_object(
                            'hubspot_owner_email', alerting_customers.hubspot_owner_email,
                            'calendly_organizer_email', alerting_customers.calendly_organizer_email
                        )
                end
            )
    ) as alerts (alert_type, details)
    where alerts.details is not null

),

final as (

    select
        conditions.customer_email,
        conditions.alert_type,
        conditions.details,
        open_alerts.id as open_alert_id
    from conditions
    left join open_alerts
        on open_alerts.customer_email = conditions.customer_email
        and open_alerts.alert_type = conditions.alert_type

)

select * from final;

create unique index on customer_alerts__conditions (customer_email, alert_type);

create index on customer_alerts__conditions (open_alert_id);

analyze customer_alerts__conditions (customer_email, alert_type, open_alert_id);

-- 2. The lifecycle, in one statement so every part sees the same snapshot: refresh the open
--    alerts whose condition holds, resolve those whose condition stopped, open the new ones.
with

run_params as (

    select * from stg_sync__run_params

),

-- read three times: not materialized, so each read uses the temp table's index and statistics
conditions as not materialized (

    select * from customer_alerts__conditions

),

refreshed as (

    update customer_alerts
    set
        details = conditions.details,
        last_seen_at = run_params.as_of,
        last_seen_run_id = run_params.run_id
    from conditions
    cross join run_params
    where
        customer_alerts.id = conditions.open_alert_id
        and (customer_alerts.details, customer_alerts.last_seen_at, customer_alerts.last_seen_run_id)
            is distinct from (conditions.details, run_params.as_of, run_params.run_id)
    returning customer_alerts.id

),

resolved as (

    update customer_alerts
    set
        resolved_at = run_params.as_of,
        resolved_run_id = run_params.run_id
    from run_params
    where
        customer_alerts.resolved_at is null
        and not exists (
            select 1
            from conditions
            where conditions.open_alert_id = customer_alerts.id
        )
    returning customer_alerts.id

),

opened as (

    insert into customer_alerts (
        customer_email,
        alert_type,
        details,
        opened_at,
        last_seen_at,
        opened_run_id,
        last_seen_run_id
    )
    select
        conditions.customer_email,
        conditions.alert_type,
        conditions.details,
        run_params.as_of,
        run_params.as_of,
        run_params.run_id,
        run_params.run_id
    from conditions
    cross join run_params
    where conditions.open_alert_id is null
    returning customer_alerts.id

),

final as (

    select
        (select count(*) from refreshed) as alerts_refreshed,
        (select count(*) from resolved) as alerts_resolved,
        (select count(*) from opened) as alerts_opened

)

select * from final;
