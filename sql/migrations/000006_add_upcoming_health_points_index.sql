-- customers(filter: { hasUpcomingCall: true }, orderBy: HEALTH_POINTS): the lowest health
-- scores belong to customers without an upcoming call, so walking the full (health, email)
-- index skips thousands of rows before the first match. This partial index holds only the
-- rows with an upcoming call (about 80%), walked in the same order. Kept to one index:
-- every index on this shared table slows the nightly upsert.
create index if not exists unified_customers_upcoming_health_points_idx
    on unified_customers (calendly_health_points, email) where next_call_date is not null;
