-- Every run rewrites each customer row it owns (last_calendly_sync at least) and each open
-- alert (last_seen_at). With full pages each new row version lands on another page and adds an
-- entry to every index: 200k rows × 7 indexes per run. Room left on each page lets PostgreSQL
-- keep the new version beside the old one without touching the indexes (a HOT update) whenever
-- no indexed column changed, which is most rows on most runs. A storage setting, not a column:
-- other sources' data in unified_customers is untouched. It applies to pages written from now on.
alter table unified_customers set (fillfactor = 60);

alter table customer_alerts set (fillfactor = 70);
