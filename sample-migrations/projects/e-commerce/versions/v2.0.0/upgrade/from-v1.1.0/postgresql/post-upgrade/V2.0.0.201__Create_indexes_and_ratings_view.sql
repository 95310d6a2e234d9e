CREATE INDEX CONCURRENTLY IF NOT EXISTS idx_customers_last_name ON customers (last_name, first_name);
-- product_reviews is new in this upgrade: nobody writes to it yet, so a plain CREATE INDEX blocks no one.
CREATE INDEX IF NOT EXISTS idx_product_reviews_customer_id ON product_reviews (customer_id);

CREATE OR REPLACE VIEW product_ratings AS
SELECT r.product_id,
       count(*) AS review_count,
       round(avg(r.rating), 2) AS average_rating
FROM product_reviews r
WHERE r.state = 'published'
GROUP BY r.product_id;

COMMENT ON VIEW product_ratings IS 'Published reviews per product, for the catalogue pages.';
