CREATE INDEX IF NOT EXISTS idx_customers_country_code ON customers (country_code);
CREATE UNIQUE INDEX IF NOT EXISTS idx_customers_email_lower ON customers (lower(email));
CREATE INDEX IF NOT EXISTS idx_products_category_id ON products (category_id);
CREATE INDEX IF NOT EXISTS idx_orders_customer_id ON orders (customer_id);
CREATE INDEX IF NOT EXISTS idx_orders_status_placed_at ON orders (status, placed_at DESC);
CREATE INDEX IF NOT EXISTS idx_order_items_product_id ON order_items (product_id);
