-- last_call_date is a completed call, so it started at or before the run's as_of — metrics.md §1, §2

with

run_params as (

    select * from stg_sync__run_params

)

select
    unified_customers.email,
    unified_customers.last_call_date,
    run_params.as_of
from unified_customers
cross join run_params
where unified_customers.last_call_date > run_params.as_of
