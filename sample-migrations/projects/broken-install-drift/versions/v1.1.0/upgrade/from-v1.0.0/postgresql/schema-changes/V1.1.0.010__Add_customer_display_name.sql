ALTER TABLE customers ADD COLUMN IF NOT EXISTS display_name varchar(255);
