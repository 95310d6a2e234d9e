CREATE INDEX IF NOT EXISTS idx_customers_country_code ON customers (country_code);
CREATE INDEX IF NOT EXISTS idx_orders_customer_id ON orders (customer_id);
CREATE INDEX IF NOT EXISTS idx_orders_status_placed_at ON orders (status, placed_at DESC);
CREATE INDEX IF NOT EXISTS idx_order_items_product_id ON order_items (product_id);
