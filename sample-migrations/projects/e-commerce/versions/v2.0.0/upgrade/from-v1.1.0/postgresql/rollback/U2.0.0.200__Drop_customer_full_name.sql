-- full_name comes back empty here (its data is restored by U2.0.0.100) and becomes required there.
-- It was the last column of customers in v1.1.0, so re-adding it keeps the column order.
ALTER TABLE customers ADD COLUMN IF NOT EXISTS full_name varchar(200);
ALTER TABLE customers DROP CONSTRAINT IF EXISTS customers_first_name_check;
ALTER TABLE customers ALTER COLUMN first_name DROP NOT NULL;
