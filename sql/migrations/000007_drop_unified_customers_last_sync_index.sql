-- Every run stamps last_calendly_sync on each customer it writes, so this index was updated
-- for 200k rows per run while no query reads it (the reset scan reads the whole table anyway).
drop index if exists unified_customers_last_calendly_sync_idx;
