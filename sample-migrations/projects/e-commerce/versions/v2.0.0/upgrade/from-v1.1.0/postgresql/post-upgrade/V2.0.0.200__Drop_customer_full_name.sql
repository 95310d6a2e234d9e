ALTER TABLE customers ALTER COLUMN first_name SET NOT NULL;

DO $$
BEGIN
    IF NOT EXISTS (
        SELECT 1 FROM pg_constraint
        WHERE conrelid = 'public.customers'::regclass AND conname = 'customers_first_name_check'
    ) THEN
        ALTER TABLE customers ADD CONSTRAINT customers_first_name_check CHECK (first_name <> '');
    END IF;
END
$$;

ALTER TABLE customers DROP COLUMN IF EXISTS full_name;

COMMENT ON COLUMN customers.first_name IS 'Given name, or the whole name when the customer has only one.';
COMMENT ON COLUMN customers.last_name IS 'Everything after the first name; NULL for single names.';
