-- show_rate is a percentage: within 0..100 whenever set — metrics.md §2, §5

select
    email,
    show_rate
from unified_customers
where show_rate < 0 or show_rate > 100
