-- grain: one row, the sync run being executed — metrics.md §1 (as_of, window), §3 (run ids on alerts)
-- The one model that names the run's parameters: the runner writes them in as typed literals
-- (checked values, see src/sql-runner/run-params.ts). A view of constants, so every model that
-- joins it gets the constants themselves: the planner estimates the window from the statistics
-- and compares start times with a constant, and the join can still run in parallel.

drop view if exists pg_temp.stg_sync__run_params;

create temp view stg_sync__run_params as

with

final as (

    select
        {{ run_id }} as run_id,
        {{ as_of }} as as_of,
        {{ window_start }} as window_start,
        {{ window_end }} as window_end

)

select * from final;
