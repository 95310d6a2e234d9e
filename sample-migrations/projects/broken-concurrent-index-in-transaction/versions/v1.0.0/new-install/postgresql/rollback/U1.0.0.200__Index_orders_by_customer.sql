DROP INDEX IF EXISTS idx_orders_customer_id;
