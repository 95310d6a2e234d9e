-- Built without blocking writes; V4__index_orders_by_customer.sql.conf runs this file outside a transaction, so it
-- must be safe to run again after a failure halfway.
CREATE INDEX CONCURRENTLY IF NOT EXISTS orders_customer_id_idx ON orders (customer_id);
