-- DEFECT: the column comes back with the same type, default, nullability and comment, so the schema
-- matches v1.0.0 again, but the codes themselves were never saved anywhere before the upgrade dropped
-- them: every customer's legacy_code is now NULL. Rehearse's `data-preservation` check must fail with
-- a row such as `customers id=2: legacy_code 'B-2' -> NULL`.
ALTER TABLE customers ADD COLUMN IF NOT EXISTS legacy_code varchar(20);

COMMENT ON COLUMN customers.legacy_code IS 'Customer number in the old ERP, kept for support look-ups.';
