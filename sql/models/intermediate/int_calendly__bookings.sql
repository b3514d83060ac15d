-- grain: one row per (scheduled event, invitee) whose event starts in the run's window — metrics.md §1
-- Flags follow §1 word for word; a rescheduled booking carries is_rescheduled and no other flag.

drop table if exists pg_temp.int_calendly__bookings;

create temp table int_calendly__bookings on commit drop as

with

run_params as (

    select * from stg_sync__run_params

),

scheduled_events as (

    select * from stg_calendly__scheduled_events

),

event_invitees as (

    select * from stg_calendly__event_invitees

),

-- window = [window_start, window_end] on the event's start, both ends included;
-- an invitee without a customer key is no customer's booking (§5 refuses it upstream)
bookings_in_window as (

    select
        event_invitees.invitee_uri,
        event_invitees.customer_email,
        scheduled_events.scheduled_event_uri,
        scheduled_events.start_at,
        scheduled_events.event_status,
        event_invitees.invitee_status,
        event_invitees.is_rescheduled,
        event_invitees.has_no_show_mark,
        scheduled_events.organizer_name,
        scheduled_events.organizer_email,
        run_params.as_of
    from event_invitees
    inner join scheduled_events
        on scheduled_events.scheduled_event_uri = event_invitees.scheduled_event_uri
    cross join run_params
    where
        scheduled_events.start_at >= run_params.window_start
        and scheduled_events.start_at <= run_params.window_end
        and event_invitees.customer_email is not null

),

-- canceled: the event or this invitee alone (one can leave a group event), unless rescheduled
cancellation as (

    select
        *,
        (
            not is_rescheduled
            and (event_status = 'canceled' or invitee_status = 'canceled')
        ) as is_canceled,
        (not is_rescheduled and start_at <= as_of) as is_due
    from bookings_in_window

),

final as (

    select
        invitee_uri,
        customer_email,
        start_at,
        organizer_name,
        organizer_email,
        is_rescheduled,
        is_canceled,
        is_due,
        (is_due and not is_canceled and has_no_show_mark) as is_no_show,
        (is_due and not is_canceled and not has_no_show_mark) as is_completed,
        (not is_rescheduled and not is_canceled and start_at > as_of) as is_upcoming
    from cancellation

)

select * from final;

-- statistics for the columns later models group and join on only: analyzing every column of
-- the wide rows takes longer than the planner gains from it
analyze int_calendly__bookings (customer_email, start_at, is_canceled);
