DROP VIEW IF EXISTS product_ratings;
DROP INDEX IF EXISTS idx_product_reviews_customer_id;
DROP INDEX IF EXISTS idx_customers_last_name;
