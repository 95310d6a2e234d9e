-- The old ERP is gone; v1.1.0 no longer keeps its customer numbers.
ALTER TABLE customers DROP COLUMN IF EXISTS legacy_code;
