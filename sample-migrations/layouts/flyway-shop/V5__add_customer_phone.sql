SET LOCAL lock_timeout = '5s';
ALTER TABLE customers ADD COLUMN phone text;
COMMENT ON COLUMN customers.phone IS 'E.164, e.g. +14155550100';
