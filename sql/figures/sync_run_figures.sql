-- grain: one row, the run's figures for sync_runs — metrics.md §4
-- Over the customers with at least one booking in the window (rescheduled ones included);
-- rows reset for having none are not counted.

with

call_metrics as (

    select * from int_customers__call_metrics

),

final as (

    select
        count(*)::integer as customers_updated,
        coalesce(sum(calls_no_show), 0)::integer as no_shows_detected,
        coalesce(sum(calls_upcoming), 0)::integer as upcoming_calls,
        round(avg(show_rate), 2) as avg_show_rate
    from call_metrics

)

select * from final
