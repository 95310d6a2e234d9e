-- Orders get a customer-facing number and a currency. Existing orders were all taken in US dollars.
CREATE SEQUENCE IF NOT EXISTS order_number_seq AS bigint START WITH 100001;

ALTER TABLE orders
    ADD COLUMN IF NOT EXISTS order_number bigint NOT NULL DEFAULT nextval('order_number_seq'),
    ADD COLUMN IF NOT EXISTS currency char(3) NOT NULL DEFAULT 'USD';

ALTER SEQUENCE order_number_seq OWNED BY orders.order_number;

DO $$
BEGIN
    IF NOT EXISTS (
        SELECT 1 FROM pg_constraint
        WHERE conrelid = 'public.orders'::regclass AND conname = 'orders_order_number_key'
    ) THEN
        ALTER TABLE orders ADD CONSTRAINT orders_order_number_key UNIQUE (order_number);
    END IF;
END
$$;

COMMENT ON COLUMN orders.order_number IS 'Customer-facing order number, printed on invoices.';
