-- grain: one row per customer email in the shared unified_customers table — metrics.md §2
-- Writes only this service's columns: inserts new customers, updates rows whose values change,
-- resets rows it wrote before that have no booking in the window, never deletes a row and
-- never touches another source's columns (hubspot_owner_email, is_high_value are read-only here).

-- 1. New customers, inserted with their figures. Existing keys are skipped by the primary key
--    (no anti-join against the table being filled, which a planner expecting an empty table
--    turns into a rescan per row); a row another sync inserts meanwhile is left to statement 2,
--    which sees it (read committed: a new snapshot per statement).
insert into unified_customers (
    email,
    total_calls_booked,
    calls_completed,
    calls_no_show,
    calls_canceled,
    calls_rescheduled,
    calls_upcoming,
    show_rate,
    last_call_date,
    next_call_date,
    current_no_show_streak,
    calendly_organizer_name,
    calendly_organizer_email,
    assigned_am,
    assigned_am_email,
    assigned_am_source,
    calendly_user_id,
    calendly_quality_points,
    calendly_health_points,
    calendly_score_factors,
    last_calendly_sync
)

with

run_params as (

    select * from stg_sync__run_params

),

call_metrics as (

    select * from int_customers__call_metrics

),

final as (

    select
        call_metrics.customer_email,
        call_metrics.total_calls_booked,
        call_metrics.calls_completed,
        call_metrics.calls_no_show,
        call_metrics.calls_canceled,
        call_metrics.calls_rescheduled,
        call_metrics.calls_upcoming,
        call_metrics.show_rate,
        call_metrics.last_call_date,
        call_metrics.next_call_date,
        call_metrics.current_no_show_streak,
        call_metrics.calendly_organizer_name,
        call_metrics.calendly_organizer_email,
        -- a new row has no account manager yet: the organizer becomes it, when there is one
        call_metrics.calendly_organizer_name as assigned_am,
        call_metrics.calendly_organizer_email as assigned_am_email,
        case
            when call_metrics.calendly_organizer_name is not null
                or call_metrics.calendly_organizer_email is not null then 'calendly'
        end as assigned_am_source,
        call_metrics.calendly_user_id,
        call_metrics.calendly_quality_points,
        call_metrics.calendly_health_points,
        call_metrics.calendly_score_factors,
        run_params.as_of as last_calendly_sync
    from call_metrics
    cross join run_params

)

select * from final

on conflict (email) do nothing;

-- statistics that know about the rows just inserted, so the update below joins by hash, not
-- by a loop sized for the table as it was
analyze unified_customers;

-- 2. Existing rows: customers with bookings get their figures; rows this service wrote before
--    with no booking in the window are reset (counts 0, the rest empty, points as the formulas
--    give for no bookings). Only rows whose values differ are written, so a repeated run is cheap.
with

run_params as (

    select * from stg_sync__run_params

),

call_metrics as (

    select * from int_customers__call_metrics

),

current_rows as (

    select
        email,
        assigned_am,
        assigned_am_email,
        assigned_am_source,
        last_calendly_sync
    from unified_customers

),

customer_figures as (

    select
        current_rows.*,
        coalesce(call_metrics.total_calls_booked, 0) as total_calls_booked,
        coalesce(call_metrics.calls_completed, 0) as calls_completed,
        coalesce(call_metrics.calls_no_show, 0) as calls_no_show,
        coalesce(call_metrics.calls_canceled, 0) as calls_canceled,
        coalesce(call_metrics.calls_rescheduled, 0) as calls_rescheduled,
        coalesce(call_metrics.calls_upcoming, 0) as calls_upcoming,
        call_metrics.show_rate,
        call_metrics.last_call_date,
        call_metrics.next_call_date,
        coalesce(call_metrics.current_no_show_streak, 0) as current_no_show_streak,
        call_metrics.calendly_organizer_name,
        call_metrics.calendly_organizer_email,
        call_metrics.calendly_user_id,
        -- a reset row: the points the §2 formulas give for no bookings
        coalesce(call_metrics.calendly_quality_points, 0) as calendly_quality_points,
        coalesce(call_metrics.calendly_health_points, -10) as calendly_health_points,
        coalesce(
            call_metrics.calendly_score_factors,
            '[{"score": "health", "factor": "no_call_in_90_days", "points": -10}]'::jsonb
        ) as calendly_score_factors
    from current_rows
    left join call_metrics
        on call_metrics.customer_email = current_rows.email
    where
        call_metrics.customer_email is not null
        or current_rows.last_calendly_sync is not null

),

-- The organizer becomes the account manager only when the row has none (neither name nor
-- email) or the current one was written by this service; another source's value is kept.
-- A run without an organizer (a reset, or no host on the event) keeps the assignment.
am_assignment as (

    select
        customer_figures.*,
        (
            (
                customer_figures.calendly_organizer_name is not null
                or customer_figures.calendly_organizer_email is not null
            )
            and (
                customer_figures.assigned_am_source is not distinct from 'calendly'
                or (
                    nullif(btrim(customer_figures.assigned_am), '') is null
                    and nullif(btrim(customer_figures.assigned_am_email), '') is null
                )
            )
        ) as takes_organizer_as_am
    from customer_figures

),

final as (

    select
        am_assignment.email,
        am_assignment.total_calls_booked,
        am_assignment.calls_completed,
        am_assignment.calls_no_show,
        am_assignment.calls_canceled,
        am_assignment.calls_rescheduled,
        am_assignment.calls_upcoming,
        am_assignment.show_rate,
        am_assignment.last_call_date,
        am_assignment.next_call_date,
        am_assignment.current_no_show_streak,
        am_assignment.calendly_organizer_name,
        am_assignment.calendly_organizer_email,
        case
            when am_assignment.takes_organizer_as_am then am_assignment.calendly_organizer_name
            else am_assignment.assigned_am
        end as assigned_am,
        case
            when am_assignment.takes_organizer_as_am then am_assignment.calendly_organizer_email
            else am_assignment.assigned_am_email
        end as assigned_am_email,
        case
            when am_assignment.takes_organizer_as_am then 'calendly'
            else am_assignment.assigned_am_source
        end as assigned_am_source,
        am_assignment.calendly_user_id,
        am_assignment.calendly_quality_points,
        am_assignment.calendly_health_points,
        am_assignment.calendly_score_factors,
        run_params.as_of as last_calendly_sync
    from am_assignment
    cross join run_params

)

update unified_customers
set
    total_calls_booked = final.total_calls_booked,
    calls_completed = final.calls_completed,
    calls_no_show = final.calls_no_show,
    calls_canceled = final.calls_canceled,
    calls_rescheduled = final.calls_rescheduled,
    calls_upcoming = final.calls_upcoming,
    show_rate = final.show_rate,
    last_call_date = final.last_call_date,
    next_call_date = final.next_call_date,
    current_no_show_streak = final.current_no_show_streak,
    calendly_organizer_name = final.calendly_organizer_name,
    calendly_organizer_email = final.calendly_organizer_email,
    assigned_am = final.assigned_am,
    assigned_am_email = final.assigned_am_email,
    assigned_am_source = final.assigned_am_source,
    calendly_user_id = final.calendly_user_id,
    calendly_quality_points = final.calendly_quality_points,
    calendly_health_points = final.calendly_health_points,
    calendly_score_factors = final.calendly_score_factors,
    last_calendly_sync = final.last_calendly_sync
from final
where
    unified_customers.email = final.email
    and (
        unified_customers.total_calls_booked,
        unified_customers.calls_completed,
        unified_customers.calls_no_show,
        unified_customers.calls_canceled,
        unified_customers.calls_rescheduled,
        unified_customers.calls_upcoming,
        unified_customers.show_rate,
        unified_customers.last_call_date,
        unified_customers.next_call_date,
        unified_customers.current_no_show_streak,
        unified_customers.calendly_organizer_name,
        unified_customers.calendly_organizer_email,
        unified_customers.assigned_am,
        unified_customers.assigned_am_email,
        unified_customers.assigned_am_source,
        unified_customers.calendly_user_id,
        unified_customers.calendly_quality_points,
        unified_customers.calendly_health_points,
        unified_customers.calendly_score_factors,
        unified_customers.last_calendly_sync
    ) is distinct from (
        final.total_calls_booked,
        final.calls_completed,
        final.calls_no_show,
        final.calls_canceled,
        final.calls_rescheduled,
        final.calls_upcoming,
        final.show_rate,
        final.last_call_date,
        final.next_call_date,
        final.current_no_show_streak,
        final.calendly_organizer_name,
        final.calendly_organizer_email,
        final.assigned_am,
        final.assigned_am_email,
        final.assigned_am_source,
        final.calendly_user_id,
        final.calendly_quality_points,
        final.calendly_health_points,
        final.calendly_score_factors,
        final.last_calendly_sync
    );
