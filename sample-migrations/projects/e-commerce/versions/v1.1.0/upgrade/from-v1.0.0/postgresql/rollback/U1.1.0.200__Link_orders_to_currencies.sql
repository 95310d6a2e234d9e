DROP INDEX IF EXISTS idx_customers_email_lower;
DROP INDEX IF EXISTS idx_products_category_id;
ALTER TABLE orders DROP CONSTRAINT IF EXISTS orders_currency_fkey;
