-- The check constraints reject bad rows; the inner block's insert is rolled back either way.
DO $$
BEGIN
    BEGIN
        INSERT INTO products (sku, name, price) VALUES ('validator-negative-price', 'Broken', -1);
        RAISE EXCEPTION 'products accepted a negative price';
    EXCEPTION WHEN check_violation THEN
        NULL;
    END;
END
$$;

SELECT NOT EXISTS (SELECT 1 FROM order_totals WHERE total < 0);

DO $$
BEGIN
    BEGIN
        INSERT INTO customers (email, first_name) VALUES ('validator-empty-name@example.com', '');
        RAISE EXCEPTION 'customers accepted an empty first_name';
    EXCEPTION WHEN check_violation THEN
        NULL;
    END;
END
$$;
