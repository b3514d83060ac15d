-- grain: one row per Calendly scheduled event (uri) — metrics.md §1
-- Rename and cast only, live rows only. A view, so the window filter downstream reaches the landing table's index.

drop view if exists pg_temp.stg_calendly__scheduled_events;

create temp view stg_calendly__scheduled_events as

with

-- a gone event (metrics.md §1: a complete read no longer returns it) counts in no metric
source as (

    select * from calendly_scheduled_events
    where gone_at is null

),

renamed as (

    select
        uri as scheduled_event_uri,
        status as event_status,
        start_time as start_at,
        end_time as end_at,
        -- event_memberships[0]: the organizing host
        organizer_name,
        organizer_email,
        canceled_at,
        updated_at
    from source

)

select * from renamed;
