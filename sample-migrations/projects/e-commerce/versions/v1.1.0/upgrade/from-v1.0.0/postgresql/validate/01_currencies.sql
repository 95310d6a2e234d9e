SELECT count(*) = 6 FROM currencies;

SELECT NOT EXISTS (
    SELECT 1 FROM orders o LEFT JOIN currencies c ON c.code = o.currency WHERE c.code IS NULL
);

SELECT count(DISTINCT order_number) = count(*) FROM orders;

SELECT EXISTS (
    SELECT 1 FROM information_schema.columns
    WHERE table_schema = 'public' AND table_name = 'order_totals' AND column_name = 'currency'
);
