-- Orders get a customer-facing number and a currency. Existing orders were all taken in US dollars.
SET lock_timeout = '5s';

CREATE SEQUENCE IF NOT EXISTS order_number_seq AS bigint START WITH 100001;

-- rehearse:allow add-column-volatile-default numbering the existing orders rewrites the table once;
-- orders is small at v1.0.0, so that short lock is accepted instead of a batched backfill.
ALTER TABLE orders
    ADD COLUMN IF NOT EXISTS order_number bigint NOT NULL DEFAULT nextval('order_number_seq'),
    ADD COLUMN IF NOT EXISTS currency char(3) NOT NULL DEFAULT 'USD';

ALTER SEQUENCE order_number_seq OWNED BY orders.order_number;

-- The unique index is built without blocking writes, then becomes the constraint.
CREATE UNIQUE INDEX CONCURRENTLY IF NOT EXISTS orders_order_number_key ON orders (order_number);

DO $$
BEGIN
    IF NOT EXISTS (
        SELECT 1 FROM pg_constraint
        WHERE conrelid = 'public.orders'::regclass AND conname = 'orders_order_number_key'
    ) THEN
        ALTER TABLE orders ADD CONSTRAINT orders_order_number_key UNIQUE USING INDEX orders_order_number_key;
    END IF;
END
$$;

COMMENT ON COLUMN orders.order_number IS 'Customer-facing order number, printed on invoices.';
