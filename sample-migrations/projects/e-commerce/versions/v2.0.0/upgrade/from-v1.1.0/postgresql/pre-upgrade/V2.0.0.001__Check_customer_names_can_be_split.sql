-- Guard: v2.0.0 splits full_name at its first space into first_name (required, not empty) and
-- last_name. A name that is blank or starts with a space has no first name: stop and list them.
-- Once the upgrade has dropped full_name there is nothing left to check.
DO $$
DECLARE
    offenders text;
BEGIN
    IF EXISTS (
        SELECT 1 FROM information_schema.columns
        WHERE table_schema = 'public' AND table_name = 'customers' AND column_name = 'full_name'
    ) THEN
        SELECT string_agg(id::text, ', ' ORDER BY id)
        INTO offenders
        FROM customers
        WHERE full_name !~ '^[^[:space:]]';
        IF offenders IS NOT NULL THEN
            RAISE EXCEPTION 'customers whose full_name is blank or starts with a space: %', offenders
                USING HINT = 'Fix these names before upgrading to v2.0.0.';
        END IF;
    END IF;
END
$$;
