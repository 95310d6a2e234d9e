DROP VIEW IF EXISTS product_ratings;
DROP VIEW IF EXISTS order_totals;
