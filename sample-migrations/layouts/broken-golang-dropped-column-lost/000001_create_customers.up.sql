CREATE TABLE customers (
    id          integer PRIMARY KEY,
    name        text NOT NULL,
    legacy_code text
);
COMMENT ON COLUMN customers.legacy_code IS 'Account number in the old billing system.';
