-- grain: one row per Calendly invitee (uri) — metrics.md §1 (customer key), §5 (missing email)
-- Rename and cast only, live rows only, plus the customer key.

drop view if exists pg_temp.stg_calendly__event_invitees;

create temp view stg_calendly__event_invitees as

with

-- a gone invitee (metrics.md §1: a complete read no longer returns it) counts in no metric
source as (

    select * from calendly_event_invitees
    where gone_at is null

),

renamed as (

    select
        uri as invitee_uri,
        event_uri as scheduled_event_uri,
        -- the customer key lower(trim(email)), computed once when the row is written (migration
        -- 000008); downstream it is the customer's email, the key column of unified_customers
        customer_key as customer_email,
        status as invitee_status,
        is_rescheduled,
        -- the API's no_show is an object {uri, created_at} or null; either typed column marks it
        (no_show_uri is not null or no_show_marked_at is not null) as has_no_show_mark,
        no_show_marked_at,
        canceled_at,
        updated_at
    from source

)

select * from renamed;
