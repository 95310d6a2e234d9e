-- Building blocks shared by several tables: the order status enum and the updated_at trigger function.

-- CREATE TYPE has no IF NOT EXISTS; guard it so the file can run twice.
DO $$
BEGIN
    IF NOT EXISTS (
        SELECT 1 FROM pg_type t JOIN pg_namespace n ON n.oid = t.typnamespace
        WHERE n.nspname = 'public' AND t.typname = 'order_status'
    ) THEN
        CREATE TYPE public.order_status AS ENUM ('pending', 'paid', 'shipped', 'delivered', 'cancelled');
    END IF;
END
$$;

COMMENT ON TYPE order_status IS 'Lifecycle of an order. New values are only ever appended.';

CREATE OR REPLACE FUNCTION touch_updated_at() RETURNS trigger
    LANGUAGE plpgsql
AS $$
BEGIN
    NEW.updated_at := now();
    RETURN NEW;
END
$$;

COMMENT ON FUNCTION touch_updated_at() IS 'BEFORE UPDATE trigger: stamps updated_at with the transaction time.';
