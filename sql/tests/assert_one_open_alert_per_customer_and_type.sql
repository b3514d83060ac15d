-- At most one open alert per (customer, alert type) — metrics.md §3

select
    customer_email,
    alert_type,
    count(*) as open_alerts
from customer_alerts
where resolved_at is null
group by customer_email, alert_type
having count(*) > 1
