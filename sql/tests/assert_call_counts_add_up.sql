-- Every row this service wrote has all its counts, none negative, and
-- total_calls_booked = completed + no_show + canceled + upcoming — metrics.md §2, §5;
-- the no-show streak counts no-shows, so it cannot exceed them.

select
    email,
    total_calls_booked,
    calls_completed,
    calls_no_show,
    calls_canceled,
    calls_rescheduled,
    calls_upcoming,
    current_no_show_streak
from unified_customers
where
    last_calendly_sync is not null
    and (
        total_calls_booked is null
        or calls_completed is null
        or calls_no_show is null
        or calls_canceled is null
        or calls_rescheduled is null
        or calls_upcoming is null
        or current_no_show_streak is null
        or least(
            total_calls_booked, calls_completed, calls_no_show, calls_canceled,
            calls_rescheduled, calls_upcoming, current_no_show_streak
        ) < 0
        or total_calls_booked <> calls_completed + calls_no_show + calls_canceled + calls_upcoming
        or current_no_show_streak > calls_no_show
    )
