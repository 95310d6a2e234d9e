-- Verify catalog:prices on pg

SELECT product_id, valid_from, amount FROM prices WHERE false;
