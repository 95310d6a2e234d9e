-- Joins the parts back exactly as they were split: a NULL last_name means the name had no space.
BEGIN;

UPDATE customers
SET full_name = CASE WHEN last_name IS NULL THEN first_name ELSE first_name || ' ' || last_name END
WHERE full_name IS NULL;

ALTER TABLE customers ALTER COLUMN full_name SET NOT NULL;

COMMIT;
