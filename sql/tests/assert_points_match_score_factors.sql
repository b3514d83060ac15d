-- Points stay within their ranges (quality 0..40, health -35..15) and equal the sum of the
-- score factors listed for them, so the UI's "why" always adds up — metrics.md §2

with

written_rows as (

    select
        email,
        calendly_quality_points,
        calendly_health_points,
        calendly_score_factors
    from unified_customers
    where last_calendly_sync is not null

),

-- one pass: each row's factor list is summed beside it (no self-join)
factor_sums as (

    select
        written_rows.*,
        sums.quality_points,
        sums.health_points
    from written_rows
    cross join lateral (
        select
            coalesce(sum((factor.value ->> 'points')::integer)
                filter (where factor.value ->> 'score' = 'quality'), 0) as quality_points,
            coalesce(sum((factor.value ->> 'points')::integer)
                filter (where factor.value ->> 'score' = 'health'), 0) as health_points
        from jsonb_array_elements(
            case
                when jsonb_typeof(written_rows.calendly_score_factors) = 'array'
                    then written_rows.calendly_score_factors
                else '[]'::jsonb
            end
        ) as factor (value)
    ) as sums

)

select
    email,
    calendly_quality_points,
    calendly_health_points,
    calendly_score_factors
from factor_sums
where
    calendly_quality_points is null
    or calendly_health_points is null
    or jsonb_typeof(calendly_score_factors) is distinct from 'array'
    or calendly_quality_points not between 0 and 40
    or calendly_health_points not between -35 and 15
    or calendly_quality_points <> quality_points
    or calendly_health_points <> health_points
