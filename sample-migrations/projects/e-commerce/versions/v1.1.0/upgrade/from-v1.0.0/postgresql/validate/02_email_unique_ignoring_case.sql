-- The new index rejects an address that differs only in case; the inner block is rolled back.
DO $$
BEGIN
    BEGIN
        INSERT INTO customers (email, full_name) VALUES ('Validator@Example.com', 'Validator One');
        INSERT INTO customers (email, full_name) VALUES ('validator@example.com', 'Validator Two');
        RAISE EXCEPTION 'customers accepted two emails that differ only in case';
    EXCEPTION WHEN unique_violation THEN
        NULL;
    END;
END
$$;
