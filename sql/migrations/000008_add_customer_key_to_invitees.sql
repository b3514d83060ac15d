-- The customer key (metrics.md §1: lower(trim(email))) as one function, used by the invitee
-- staging column below and by the am_change alert, so the two can never disagree. The trim set
-- is JavaScript's String.prototype.trim (tab, LF, VT, FF, CR, space, NBSP, the Unicode spaces,
-- BOM), the same test the validator uses for missing_email; empty after trim = no key.
create or replace function calendly_customer_key(email text) returns text
    language sql
    immutable
    parallel safe
-- not declared strict: a strict SQL function is not inlined, and the call then costs more than
-- the expression (NULL in gives NULL out all the same)
return nullif(
    lower(btrim(
        email,
        E' \t\n\x0b\f\r\u00a0\u1680\u2000\u2001\u2002\u2003\u2004\u2005\u2006\u2007\u2008\u2009\u200a\u2028\u2029\u202f\u205f\u3000\ufeff'
    )),
    ''
);

comment on function calendly_customer_key(text) is
    'Customer key of metrics.md §1: lower(trim(email)) with JavaScript''s trim set; NULL when empty.';

-- Computed once when an invitee row is written instead of on every run, where every email of
-- the window would be normalised twice (filter and projection). (Renamed customer_key in 000012.)
alter table calendly_event_invitees
    add column if not exists customer_email text generated always as (calendly_customer_key(email)) stored;

comment on column calendly_event_invitees.customer_email is
    'Customer key lower(trim(email)) (metrics.md §1), kept by the database; NULL when the email is blank.';
