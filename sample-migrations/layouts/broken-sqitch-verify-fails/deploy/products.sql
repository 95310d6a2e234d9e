-- Deploy catalog:products to pg

BEGIN;

CREATE TABLE products (
    id   integer GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    name text NOT NULL
);

COMMIT;
