-- grain: one row per customer key lower(trim(email)) with at least one booking in the window
-- (rescheduled ones included) — metrics.md §2 (figures, organizer, points, score factors)

-- The score formulas of metrics.md §2, each factor with its points written once: this model
-- applies them to each customer's figures, unified_customers to the figures of no bookings (the
-- reset row). A factor's jsonb is a literal (parsed once, not built per customer) and the sums
-- read the points from the factors that apply, so the list a UI shows always adds up to them.
-- One select, set-returning, not strict: the planner inlines it where it is called, so nothing
-- is called per row.
create or replace function pg_temp.int_customers__scores(
    total_calls_booked integer,
    show_rate numeric,
    next_call_date timestamptz,
    last_call_date timestamptz,
    current_no_show_streak integer,
    as_of timestamptz
) returns table (
    calendly_quality_points integer,
    calendly_health_points integer,
    calendly_score_factors jsonb
)
language sql
stable
as $$
    select
        coalesce((quality_has_booking ->> 'points')::integer, 0)
            + coalesce((quality_show_rate_above_80 ->> 'points')::integer, 0)
            + coalesce((quality_has_upcoming_call ->> 'points')::integer, 0)
            + coalesce((quality_called_in_last_30_days ->> 'points')::integer, 0),
        coalesce((health_has_upcoming_call ->> 'points')::integer, 0)
            + coalesce((health_show_rate_above_80 ->> 'points')::integer, 0)
            + coalesce((health_called_in_last_14_days ->> 'points')::integer, 0)
            + coalesce((health_show_rate_below_50 ->> 'points')::integer, 0)
            + coalesce((health_no_show_streak_3_plus ->> 'points')::integer, 0)
            + coalesce((health_no_call_in_90_days ->> 'points')::integer, 0),
        to_jsonb(array_remove(array[
            quality_has_booking,
            quality_show_rate_above_80,
            quality_has_upcoming_call,
            quality_called_in_last_30_days,
            health_has_upcoming_call,
            health_show_rate_above_80,
            health_called_in_last_14_days,
            health_show_rate_below_50,
            health_no_show_streak_3_plus,
            health_no_call_in_90_days
        ], null))
    -- one jsonb per factor when it applies, null when it does not
    from (
        select
            case when total_calls_booked >= 1
                then '{"score": "quality", "factor": "has_booking", "points": 15}'::jsonb
            end as quality_has_booking,
            case when show_rate > 80
                then '{"score": "quality", "factor": "show_rate_above_80", "points": 10}'::jsonb
            end as quality_show_rate_above_80,
            case when next_call_date is not null
                then '{"score": "quality", "factor": "has_upcoming_call", "points": 10}'::jsonb
            end as quality_has_upcoming_call,
            case when last_call_date >= as_of - interval '30 days'
                then '{"score": "quality", "factor": "called_in_last_30_days", "points": 5}'::jsonb
            end as quality_called_in_last_30_days,
            case when next_call_date is not null
                then '{"score": "health", "factor": "has_upcoming_call", "points": 5}'::jsonb
            end as health_has_upcoming_call,
            case when show_rate > 80
                then '{"score": "health", "factor": "show_rate_above_80", "points": 5}'::jsonb
            end as health_show_rate_above_80,
            case when last_call_date >= as_of - interval '14 days'
                then '{"score": "health", "factor": "called_in_last_14_days", "points": 5}'::jsonb
            end as health_called_in_last_14_days,
            case when show_rate < 50
                then '{"score": "health", "factor": "show_rate_below_50", "points": -10}'::jsonb
            end as health_show_rate_below_50,
            case when current_no_show_streak >= 3
                then '{"score": "health", "factor": "no_show_streak_3_plus", "points": -15}'::jsonb
            end as health_no_show_streak_3_plus,
            case when last_call_date is null or last_call_date < as_of - interval '90 days'
                then '{"score": "health", "factor": "no_call_in_90_days", "points": -10}'::jsonb
            end as health_no_call_in_90_days
    ) as factors
$$;

drop table if exists pg_temp.int_customers__call_metrics;

create temp table int_customers__call_metrics on commit drop as

with

run_params as (

    select * from stg_sync__run_params

),

-- read twice (counts, then the latest booking's row): not materialized, so each read scans the
-- table directly
bookings as not materialized (

    select * from int_calendly__bookings

),

customer_counts as (

    select
        customer_email,
        count(*) filter (where not is_rescheduled) as total_calls_booked,
        count(*) filter (where is_completed) as calls_completed,
        count(*) filter (where is_no_show) as calls_no_show,
        count(*) filter (where is_canceled) as calls_canceled,
        count(*) filter (where is_rescheduled) as calls_rescheduled,
        count(*) filter (where is_upcoming) as calls_upcoming,
        -- total minus bookings not yet started: canceled past bookings stay in (§2 show_rate)
        count(*) filter (where is_due) as calls_due,
        max(start_at) filter (where is_completed) as last_call_date,
        min(start_at) filter (where is_upcoming) as next_call_date,
        array_agg(start_at) filter (where is_no_show) as no_show_start_ats,
        max(start_at) filter (where not is_rescheduled and not is_canceled) as latest_active_start_at,
        max(start_at) filter (where not is_rescheduled) as latest_start_at
    from bookings
    group by customer_email

),

-- The booking the organizer and calendly_user_id come from: latest start among non-canceled
-- bookings, any booking when all are canceled, never a rescheduled one. Its start is known from
-- the aggregate above, so only the bookings at that instant are read back instead of sorting all
-- of them; ties go to the smallest invitee uri so the choice is deterministic. A left join from
-- the customers, so the planner knows it returns one row per customer.
customer_latest_bookings as (

    select distinct on (customer_counts.customer_email collate "C")
        customer_counts.*,
        bookings.invitee_uri as latest_invitee_uri,
        bookings.organizer_name as latest_organizer_name,
        bookings.organizer_email as latest_organizer_email
    from customer_counts
    left join bookings
        on bookings.customer_email = customer_counts.customer_email
        and bookings.start_at = coalesce(customer_counts.latest_active_start_at, customer_counts.latest_start_at)
        and bookings.is_canceled = (customer_counts.latest_active_start_at is null)
        and not bookings.is_rescheduled
    -- byte order (collate "C"): the order only has to be deterministic, and it sorts faster
    order by customer_counts.customer_email collate "C", bookings.invitee_uri collate "C"

),

-- materialized: the streak subquery would otherwise run once per later reference
figures as materialized (

    select
        customer_latest_bookings.customer_email,
        customer_latest_bookings.total_calls_booked::integer as total_calls_booked,
        customer_latest_bookings.calls_completed::integer as calls_completed,
        customer_latest_bookings.calls_no_show::integer as calls_no_show,
        customer_latest_bookings.calls_canceled::integer as calls_canceled,
        customer_latest_bookings.calls_rescheduled::integer as calls_rescheduled,
        customer_latest_bookings.calls_upcoming::integer as calls_upcoming,
        customer_latest_bookings.calls_due::integer as calls_due,
        case
            when customer_latest_bookings.calls_due > 0
                then round(100.0 * customer_latest_bookings.calls_completed / customer_latest_bookings.calls_due, 2)
        end::numeric(5, 2) as show_rate,
        customer_latest_bookings.last_call_date,
        customer_latest_bookings.next_call_date,
        -- Newest first among due, non-canceled bookings, the no-shows before the first completed
        -- one are exactly the no-shows that started after the latest completed call (all of them
        -- when there is none); a no-show at the same instant as that call is not "before" it.
        (
            select count(*)
            from unnest(customer_latest_bookings.no_show_start_ats) as no_show (start_at)
            where
                customer_latest_bookings.last_call_date is null
                or no_show.start_at > customer_latest_bookings.last_call_date
        )::integer as current_no_show_streak,
        customer_latest_bookings.latest_organizer_name as calendly_organizer_name,
        customer_latest_bookings.latest_organizer_email as calendly_organizer_email,
        customer_latest_bookings.latest_invitee_uri as calendly_user_id
    from customer_latest_bookings

),

final as (

    select
        figures.customer_email,
        figures.total_calls_booked,
        figures.calls_completed,
        figures.calls_no_show,
        figures.calls_canceled,
        figures.calls_rescheduled,
        figures.calls_upcoming,
        figures.calls_due,
        figures.show_rate,
        figures.last_call_date,
        figures.next_call_date,
        figures.current_no_show_streak,
        figures.calendly_organizer_name,
        figures.calendly_organizer_email,
        figures.calendly_user_id,
        scores.calendly_quality_points,
        scores.calendly_health_points,
        scores.calendly_score_factors
    from figures
    cross join run_params
    cross join lateral pg_temp.int_customers__scores(
        figures.total_calls_booked,
        figures.show_rate,
        figures.next_call_date,
        figures.last_call_date,
        figures.current_no_show_streak,
        run_params.as_of
    ) as scores

)

select * from final;

create unique index on int_customers__call_metrics (customer_email);

-- row count and join key only: statistics of the jsonb column cost more to gather than any plan gains
analyze int_customers__call_metrics (customer_email);
