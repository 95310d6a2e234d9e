-- Verify catalog:products on pg

-- DEFECT: deploy/products.sql creates no sku column, so this verify script fails.
SELECT id, name, sku FROM products WHERE false;
