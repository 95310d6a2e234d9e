-- Revert catalog:prices from pg

BEGIN;

DROP TABLE prices;

COMMIT;
