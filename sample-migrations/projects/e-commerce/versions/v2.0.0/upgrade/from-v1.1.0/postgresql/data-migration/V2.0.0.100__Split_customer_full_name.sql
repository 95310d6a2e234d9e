-- Splits full_name at its first space: 'Grace Brewster Murray Hopper' -> 'Grace' + 'Brewster Murray Hopper',
-- 'Plato' -> 'Plato' + NULL. The split is lossless (the rollback joins the parts with one space), and runs
-- in one transaction so customers are never seen half split.
BEGIN;

-- After post-upgrade/ has dropped full_name, running this file again does nothing.
DO $$
BEGIN
    IF EXISTS (
        SELECT 1 FROM information_schema.columns
        WHERE table_schema = 'public' AND table_name = 'customers' AND column_name = 'full_name'
    ) THEN
        UPDATE customers
        SET first_name = split_part(full_name, ' ', 1),
            last_name = CASE WHEN strpos(full_name, ' ') = 0 THEN NULL
                             ELSE substr(full_name, strpos(full_name, ' ') + 1) END
        WHERE first_name IS NULL;
    END IF;
END
$$;

COMMIT;
