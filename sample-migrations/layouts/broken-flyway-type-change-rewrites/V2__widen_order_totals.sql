SET LOCAL lock_timeout = '5s';
-- DEFECT: integer to bigint rewrites every row of orders under an ACCESS EXCLUSIVE lock, which blocks reads and
-- writes for as long as the rewrite takes; add a bigint column, backfill it in batches and switch over instead.
ALTER TABLE orders ALTER COLUMN total_cents TYPE bigint;
