ALTER TABLE customers
    DROP COLUMN IF EXISTS last_name,
    DROP COLUMN IF EXISTS first_name;
