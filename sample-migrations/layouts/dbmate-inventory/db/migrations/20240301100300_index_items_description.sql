-- migrate:up transaction:false
-- Built concurrently, so outside a transaction: IF NOT EXISTS makes a re-run after a failure harmless.
CREATE INDEX CONCURRENTLY IF NOT EXISTS items_description_idx ON items (lower(description));

-- migrate:down transaction:false
DROP INDEX CONCURRENTLY IF EXISTS items_description_idx;
