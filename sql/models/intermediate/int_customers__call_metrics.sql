-- grain: one row per customer key lower(trim(email)) with at least one booking in the window
-- (rescheduled ones included) — metrics.md §2 (figures, organizer, points, score factors)

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

-- One jsonb per score factor when it applies, null when it does not. The factors are
-- constants, so they are written as literals (parsed once) rather than built per customer.
score_factors as (

    select
        figures.*,
        case when figures.total_calls_booked >= 1
            then '{"score": "quality", "factor": "has_booking", "points": 15}'::jsonb
        end as quality_has_booking,
        case when figures.show_rate > 80
            then '{"score": "quality", "factor": "show_rate_above_80", "points": 10}'::jsonb
        end as quality_show_rate_above_80,
        case when figures.next_call_date is not null
            then '{"score": "quality", "factor": "has_upcoming_call", "points": 10}'::jsonb
        end as quality_has_upcoming_call,
        case when figures.last_call_date >= run_params.as_of_minus_30_days
            then '{"score": "quality", "factor": "called_in_last_30_days", "points": 5}'::jsonb
        end as quality_called_in_last_30_days,
        case when figures.next_call_date is not null
            then '{"score": "health", "factor": "has_upcoming_call", "points": 5}'::jsonb
        end as health_has_upcoming_call,
        case when figures.show_rate > 80
            then '{"score": "health", "factor": "show_rate_above_80", "points": 5}'::jsonb
        end as health_show_rate_above_80,
        case when figures.last_call_date >= run_params.as_of_minus_14_days
            then '{"score": "health", "factor": "called_in_last_14_days", "points": 5}'::jsonb
        end as health_called_in_last_14_days,
        case when figures.show_rate < 50
            then '{"score": "health", "factor": "show_rate_below_50", "points": -10}'::jsonb
        end as health_show_rate_below_50,
        case when figures.current_no_show_streak >= 3
            then '{"score": "health", "factor": "no_show_streak_3_plus", "points": -15}'::jsonb
        end as health_no_show_streak_3_plus,
        case when figures.last_call_date is null or figures.last_call_date < run_params.as_of_minus_90_days
            then '{"score": "health", "factor": "no_call_in_90_days", "points": -10}'::jsonb
        end as health_no_call_in_90_days
    from figures
    cross join run_params

),

applied_factors as (

    select
        score_factors.*,
        array_remove(array[
            quality_has_booking,
            quality_show_rate_above_80,
            quality_has_upcoming_call,
            quality_called_in_last_30_days
        ], null) as quality_factors,
        array_remove(array[
            health_has_upcoming_call,
            health_show_rate_above_80,
            health_called_in_last_14_days,
            health_show_rate_below_50,
            health_no_show_streak_3_plus,
            health_no_call_in_90_days
        ], null) as health_factors
    from score_factors

),

final as (

    select
        customer_email,
        total_calls_booked,
        calls_completed,
        calls_no_show,
        calls_canceled,
        calls_rescheduled,
        calls_upcoming,
        calls_due,
        show_rate,
        last_call_date,
        next_call_date,
        current_no_show_streak,
        calendly_organizer_name,
        calendly_organizer_email,
        calendly_user_id,
        (
            case when quality_has_booking is not null then 15 else 0 end
            + case when quality_show_rate_above_80 is not null then 10 else 0 end
            + case when quality_has_upcoming_call is not null then 10 else 0 end
            + case when quality_called_in_last_30_days is not null then 5 else 0 end
        ) as calendly_quality_points,
        (
            case when health_has_upcoming_call is not null then 5 else 0 end
            + case when health_show_rate_above_80 is not null then 5 else 0 end
            + case when health_called_in_last_14_days is not null then 5 else 0 end
            + case when health_show_rate_below_50 is not null then -10 else 0 end
            + case when health_no_show_streak_3_plus is not null then -15 else 0 end
            + case when health_no_call_in_90_days is not null then -10 else 0 end
        ) as calendly_health_points,
        to_jsonb(quality_factors || health_factors) as calendly_score_factors
    from applied_factors

)

select * from final;

create unique index on int_customers__call_metrics (customer_email);

-- row count and join key only (the jsonb column alone made a full analyze cost half a second)
analyze int_customers__call_metrics (customer_email);
