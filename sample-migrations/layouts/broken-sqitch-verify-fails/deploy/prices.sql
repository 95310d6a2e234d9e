-- Deploy catalog:prices to pg
-- requires: products

BEGIN;

CREATE TABLE prices (
    product_id  integer NOT NULL REFERENCES products (id),
    valid_from  date    NOT NULL,
    amount      numeric(10, 2) NOT NULL CHECK (amount >= 0),
    PRIMARY KEY (product_id, valid_from)
);

COMMIT;
