-- Dropping order_number also drops the sequence it owns; the DROP SEQUENCE covers a half-applied upgrade.
ALTER TABLE orders
    DROP COLUMN IF EXISTS currency,
    DROP COLUMN IF EXISTS order_number;
DROP SEQUENCE IF EXISTS order_number_seq;
