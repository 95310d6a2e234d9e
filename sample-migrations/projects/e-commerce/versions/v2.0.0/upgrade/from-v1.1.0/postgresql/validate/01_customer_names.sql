SELECT NOT EXISTS (SELECT 1 FROM customers WHERE first_name IS NULL OR first_name = '');

SELECT NOT EXISTS (
    SELECT 1 FROM information_schema.columns
    WHERE table_schema = 'public' AND table_name = 'customers' AND column_name = 'full_name'
);

SELECT NOT EXISTS (SELECT 1 FROM customers WHERE last_name = '');
