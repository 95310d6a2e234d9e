ALTER TABLE customers DROP COLUMN IF EXISTS display_name;
