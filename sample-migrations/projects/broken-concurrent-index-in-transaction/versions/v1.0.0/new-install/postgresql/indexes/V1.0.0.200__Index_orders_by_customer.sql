-- DEFECT: the file was wrapped in a transaction "for safety", but CREATE INDEX CONCURRENTLY cannot run
-- inside a transaction block. PostgreSQL rejects it with SQLSTATE 25001 and the install stops here.
-- Rehearse's `forward` check must fail on this file, naming its line and the SQLSTATE.
BEGIN;

CREATE INDEX CONCURRENTLY IF NOT EXISTS idx_orders_customer_id ON orders (customer_id);

COMMIT;
