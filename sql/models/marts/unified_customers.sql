-- grain: one row per customer email in the shared unified_customers table — metrics.md §2
-- Writes only this service's columns: inserts new customers, updates rows whose values change,
-- resets rows it wrote before that have no booking in the window, never deletes a row and
-- never touches another source's columns (hubspot_owner_email, is_high_value are read-only here).

-- The organizer may become the account manager only of a row whose AM is free: none set
-- (neither name nor email; a new customer has none) or set by this service. Another source's
-- value is kept. Step 1 asks it of its copy of the row to plan, step 3 of the row it writes.
-- (A one-expression SQL function: the planner inlines it, nothing is called per row.)
create or replace function pg_temp.unified_customers__is_am_free(
    am text,
    am_email text,
    am_source text
) returns boolean
language sql
immutable
as $$
    select
        am_source is not distinct from 'calendly'
        or (nullif(btrim(am), '') is null and nullif(btrim(am_email), '') is null)
$$;

-- 1. The rows to write and what to write in them: customers with bookings in the window, new or
--    not, and rows this service wrote before that have none left (reset). Rows whose values
--    would not change are left out, so a run repeated at the same as_of writes nothing; a run at
--    a later as_of rewrites every row it wrote, if only to re-stamp last_calendly_sync. A full
--    join of the run's figures with the table: the planner can only hash or merge it, never turn
--    it into a rescan per row when its statistics for the table are stale.
drop table if exists pg_temp.unified_customers__changes;

create temp table unified_customers__changes on commit drop as

with

run_params as (

    select * from stg_sync__run_params

),

call_metrics as (

    select * from int_customers__call_metrics

),

-- a reset row: the points the §2 formulas give for no bookings (int_customers__call_metrics's
-- formulas, applied once to empty figures)
no_booking_scores as (

    select scores.*
    from run_params
    cross join lateral pg_temp.int_customers__scores(0, null, null, null, 0, run_params.as_of) as scores

),

current_rows as (

    select
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
    from unified_customers

),

customer_figures as (

    select
        coalesce(current_rows.email, call_metrics.customer_email) as email,
        current_rows.email is null as is_new_customer,
        current_rows.assigned_am as current_assigned_am,
        current_rows.assigned_am_email as current_assigned_am_email,
        current_rows.assigned_am_source as current_assigned_am_source,
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
        (
            call_metrics.calendly_organizer_name is not null
            or call_metrics.calendly_organizer_email is not null
        ) as has_organizer,
        call_metrics.calendly_user_id,
        coalesce(call_metrics.calendly_quality_points, no_booking_scores.calendly_quality_points)
            as calendly_quality_points,
        coalesce(call_metrics.calendly_health_points, no_booking_scores.calendly_health_points)
            as calendly_health_points,
        coalesce(call_metrics.calendly_score_factors, no_booking_scores.calendly_score_factors)
            as calendly_score_factors,
        -- the row as it is (email and this service's columns), to leave out unchanged rows below
        current_rows as current_values
    from call_metrics
    full join current_rows
        on current_rows.email = call_metrics.customer_email
    cross join no_booking_scores
    where
        call_metrics.customer_email is not null
        or current_rows.last_calendly_sync is not null

),

-- A run without an organizer (a reset, or no host on the event) keeps the assignment.
am_assignment as (

    select
        customer_figures.*,
        customer_figures.has_organizer
        and pg_temp.unified_customers__is_am_free(
            customer_figures.current_assigned_am,
            customer_figures.current_assigned_am_email,
            customer_figures.current_assigned_am_source
        ) as takes_organizer_as_am
    from customer_figures

),

new_values as (

    select
        am_assignment.email,
        am_assignment.is_new_customer,
        am_assignment.current_values,
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
        am_assignment.has_organizer,
        case
            when am_assignment.takes_organizer_as_am then am_assignment.calendly_organizer_name
            else am_assignment.current_assigned_am
        end as assigned_am,
        case
            when am_assignment.takes_organizer_as_am then am_assignment.calendly_organizer_email
            else am_assignment.current_assigned_am_email
        end as assigned_am_email,
        case
            when am_assignment.takes_organizer_as_am then 'calendly'
            else am_assignment.current_assigned_am_source
        end as assigned_am_source,
        am_assignment.calendly_user_id,
        am_assignment.calendly_quality_points,
        am_assignment.calendly_health_points,
        am_assignment.calendly_score_factors,
        run_params.as_of as last_calendly_sync
    from am_assignment
    cross join run_params

),

final as (

    select
        email,
        is_new_customer,
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
        has_organizer,
        assigned_am,
        assigned_am_email,
        assigned_am_source,
        calendly_user_id,
        calendly_quality_points,
        calendly_health_points,
        calendly_score_factors,
        last_calendly_sync
    from new_values
    where
        is_new_customer
        or current_values is distinct from (
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

)

select * from final;

-- row count and the columns steps 2 and 3 filter and join on
analyze unified_customers__changes (email, is_new_customer);

-- 2. New customers. A row another sync inserted since step 1 is skipped here and gets its
--    figures on the next run (its other columns are never ours to overwrite).
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

select
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
from unified_customers__changes
where is_new_customer

on conflict (email) do nothing;

-- 3. Existing rows whose values change. The AM is decided again from the row as it is now, not
--    from step 1's copy: one another source committed since is kept. (Under READ COMMITTED an
--    update that had to wait for another transaction's row lock re-reads the row's newest
--    version before evaluating these expressions.)
update unified_customers
set
    total_calls_booked = changes.total_calls_booked,
    calls_completed = changes.calls_completed,
    calls_no_show = changes.calls_no_show,
    calls_canceled = changes.calls_canceled,
    calls_rescheduled = changes.calls_rescheduled,
    calls_upcoming = changes.calls_upcoming,
    show_rate = changes.show_rate,
    last_call_date = changes.last_call_date,
    next_call_date = changes.next_call_date,
    current_no_show_streak = changes.current_no_show_streak,
    calendly_organizer_name = changes.calendly_organizer_name,
    calendly_organizer_email = changes.calendly_organizer_email,
    assigned_am = case
        when changes.has_organizer and pg_temp.unified_customers__is_am_free(
            unified_customers.assigned_am, unified_customers.assigned_am_email, unified_customers.assigned_am_source
        ) then changes.calendly_organizer_name
        else unified_customers.assigned_am
    end,
    assigned_am_email = case
        when changes.has_organizer and pg_temp.unified_customers__is_am_free(
            unified_customers.assigned_am, unified_customers.assigned_am_email, unified_customers.assigned_am_source
        ) then changes.calendly_organizer_email
        else unified_customers.assigned_am_email
    end,
    assigned_am_source = case
        when changes.has_organizer and pg_temp.unified_customers__is_am_free(
            unified_customers.assigned_am, unified_customers.assigned_am_email, unified_customers.assigned_am_source
        ) then 'calendly'
        else unified_customers.assigned_am_source
    end,
    calendly_user_id = changes.calendly_user_id,
    calendly_quality_points = changes.calendly_quality_points,
    calendly_health_points = changes.calendly_health_points,
    calendly_score_factors = changes.calendly_score_factors,
    last_calendly_sync = changes.last_calendly_sync
from unified_customers__changes as changes
where
    unified_customers.email = changes.email
    and not changes.is_new_customer;
