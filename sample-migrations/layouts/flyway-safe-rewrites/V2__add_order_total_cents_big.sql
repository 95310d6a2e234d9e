-- Instead of ALTER COLUMN total_cents TYPE bigint (a rewrite): a new nullable column without a default, which is
-- a catalog change only; V3 fills it, and a later release switches the application over and drops the old one.
SET LOCAL lock_timeout = '5s';
ALTER TABLE orders ADD COLUMN total_cents_big bigint;
