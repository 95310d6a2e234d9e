-- Guard: v1.1.0 adds a unique index on lower(email). Stop before changing anything if existing
-- customers would violate it, and name them so support can merge the accounts first.
DO $$
DECLARE
    clashes text;
BEGIN
    SELECT string_agg(lower(email) || ' (ids ' || ids || ')', ', ')
    INTO clashes
    FROM (
        SELECT lower(email) AS email, string_agg(id::text, ', ' ORDER BY id) AS ids
        FROM customers
        GROUP BY lower(email)
        HAVING count(*) > 1
    ) AS duplicates;
    IF clashes IS NOT NULL THEN
        RAISE EXCEPTION 'customers share an email address ignoring case: %', clashes
            USING HINT = 'Merge these accounts before upgrading to v1.1.0.';
    END IF;
END
$$;
