-- The invitee column customer_email holds the customer key of metrics.md §1 (lower(trim(email))),
-- not the email as Calendly sent it (that is `email`): its name now says so. Renaming keeps the
-- column generated, its values and everything that depends on it.
alter table calendly_event_invitees rename column customer_email to customer_key;

comment on column calendly_event_invitees.customer_key is
    'Customer key calendly_customer_key(email), lower(trim(email)) of metrics.md §1, kept by the database; NULL when the email is blank. The email as sent is in email.';
