-- next_call_date is an upcoming call: strictly after the run's as_of — metrics.md §2, §5

with

run_params as (

    select * from stg_sync__run_params

)

select
    unified_customers.email,
    unified_customers.next_call_date,
    run_params.as_of
from unified_customers
cross join run_params
where unified_customers.next_call_date <= run_params.as_of
