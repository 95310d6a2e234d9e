SELECT array_agg(enumlabel ORDER BY enumsortorder) = ARRAY['submitted', 'published', 'rejected']::name[]
FROM pg_enum WHERE enumtypid = 'public.review_state'::regtype;

SELECT to_regclass('public.product_ratings') IS NOT NULL;

DO $$
BEGIN
    BEGIN
        INSERT INTO product_reviews (product_id, customer_id, rating) VALUES (-1, -1, 6);
        RAISE EXCEPTION 'product_reviews accepted a rating of 6';
    EXCEPTION WHEN check_violation THEN
        NULL;
    END;
END
$$;
