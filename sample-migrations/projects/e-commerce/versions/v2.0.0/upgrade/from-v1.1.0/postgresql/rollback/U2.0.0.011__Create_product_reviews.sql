DROP TABLE IF EXISTS product_reviews;
DROP TYPE IF EXISTS review_state;
