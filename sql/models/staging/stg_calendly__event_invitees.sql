-- grain: one row per Calendly invitee (uri) — metrics.md §1 (customer key), §5 (missing email)
-- Rename and cast only, plus the customer key.

drop view if exists pg_temp.stg_calendly__event_invitees;

create temp view stg_calendly__event_invitees as

with

source as (

    select * from calendly_event_invitees

),

renamed as (

    select
        uri as invitee_uri,
        event_uri as scheduled_event_uri,
        -- Customer key lower(trim(email)). The trim set is JavaScript's String.prototype.trim
        -- (tab, LF, VT, FF, CR, space, NBSP and the Unicode spaces, BOM), the same test the
        -- validator uses for missing_email, so client and SQL agree; empty after trim = no key.
        nullif(
            lower(btrim(
                email,
                E' \t\n\x0b\f\r\u00a0\u1680\u2000\u2001\u2002\u2003\u2004\u2005\u2006\u2007\u2008\u2009\u200a\u2028\u2029\u202f\u205f\u3000\ufeff'
            )),
            ''
        ) as customer_email,
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
