-- Revert catalog:products from pg

BEGIN;

DROP TABLE products;

COMMIT;
