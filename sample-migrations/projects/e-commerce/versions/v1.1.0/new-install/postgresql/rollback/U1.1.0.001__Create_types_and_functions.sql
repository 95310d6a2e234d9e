DROP FUNCTION IF EXISTS touch_updated_at();
DROP TYPE IF EXISTS order_status;
