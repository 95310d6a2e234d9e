DROP INDEX IF EXISTS idx_orders_placed_at;
DROP INDEX IF EXISTS idx_orders_status;
