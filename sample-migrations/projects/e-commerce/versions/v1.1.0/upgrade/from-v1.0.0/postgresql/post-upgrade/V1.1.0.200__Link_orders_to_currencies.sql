-- Only now that currencies are seeded can existing orders ('USD') satisfy the foreign key.
SET lock_timeout = '5s';

DO $$
BEGIN
    IF NOT EXISTS (
        SELECT 1 FROM pg_constraint
        WHERE conrelid = 'public.orders'::regclass AND conname = 'orders_currency_fkey'
    ) THEN
        ALTER TABLE orders
            ADD CONSTRAINT orders_currency_fkey FOREIGN KEY (currency) REFERENCES currencies (code) NOT VALID;
    END IF;
END
$$;

-- Checks the existing orders without blocking their reads and writes; a no-op once validated.
ALTER TABLE orders VALIDATE CONSTRAINT orders_currency_fkey;

CREATE INDEX CONCURRENTLY IF NOT EXISTS idx_products_category_id ON products (category_id);
CREATE UNIQUE INDEX CONCURRENTLY IF NOT EXISTS idx_customers_email_lower ON customers (lower(email));
