DROP FUNCTION IF EXISTS touch_updated_at();
DROP TYPE IF EXISTS review_state;
DROP TYPE IF EXISTS order_status;
