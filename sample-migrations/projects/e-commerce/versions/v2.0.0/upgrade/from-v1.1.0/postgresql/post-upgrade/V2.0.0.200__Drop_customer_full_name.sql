SET lock_timeout = '5s';

-- first_name becomes required without a long lock: a NOT VALID check, validated while reads and writes go
-- on, lets SET NOT NULL skip its scan of the table; the check is dropped once the column holds the rule.
DO $$
BEGIN
    IF NOT EXISTS (
        SELECT 1 FROM pg_constraint
        WHERE conrelid = 'public.customers'::regclass AND conname = 'customers_first_name_not_null'
    ) THEN
        ALTER TABLE customers ADD CONSTRAINT customers_first_name_not_null CHECK (first_name IS NOT NULL) NOT VALID;
    END IF;
END
$$;
ALTER TABLE customers VALIDATE CONSTRAINT customers_first_name_not_null;
ALTER TABLE customers ALTER COLUMN first_name SET NOT NULL;
ALTER TABLE customers DROP CONSTRAINT IF EXISTS customers_first_name_not_null;

DO $$
BEGIN
    IF NOT EXISTS (
        SELECT 1 FROM pg_constraint
        WHERE conrelid = 'public.customers'::regclass AND conname = 'customers_first_name_check'
    ) THEN
        ALTER TABLE customers ADD CONSTRAINT customers_first_name_check CHECK (first_name <> '') NOT VALID;
    END IF;
END
$$;
ALTER TABLE customers VALIDATE CONSTRAINT customers_first_name_check;

-- rehearse:allow drop-column the v1.1.0 application reads full_name, so it is stopped before this upgrade
-- (v2.0.0 is not a rolling upgrade); the rollback rebuilds full_name from first_name and last_name.
ALTER TABLE customers DROP COLUMN IF EXISTS full_name;

COMMENT ON COLUMN customers.first_name IS 'Given name, or the whole name when the customer has only one.';
COMMENT ON COLUMN customers.last_name IS 'Everything after the first name; NULL for single names.';
