-- grain: one row, the sync run being executed — metrics.md §1 (as_of, window), §3 (run ids on alerts)
-- The runner binds the run's parameters as transaction-local settings (never spliced into SQL
-- text); this is the one model that reads them, typed once for every later model.

drop table if exists pg_temp.stg_sync__run_params;

create temp table stg_sync__run_params on commit drop as

with

settings as (

    select
        current_setting('calendly_sync.run_id')::integer as run_id,
        current_setting('calendly_sync.as_of')::timestamptz as as_of,
        current_setting('calendly_sync.window_start')::timestamptz as window_start,
        current_setting('calendly_sync.window_end')::timestamptz as window_end

),

final as (

    select
        run_id,
        as_of,
        window_start,
        window_end,
        as_of - interval '14 days' as as_of_minus_14_days,
        as_of - interval '30 days' as as_of_minus_30_days,
        as_of - interval '90 days' as as_of_minus_90_days
    from settings

)

select * from final;

-- one row: tell the planner so, or it guesses a thousand and misplans every join on it
analyze stg_sync__run_params;
