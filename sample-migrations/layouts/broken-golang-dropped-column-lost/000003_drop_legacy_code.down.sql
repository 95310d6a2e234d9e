-- DEFECT: the column comes back with its type and comment but empty: the codes the up migration dropped are lost.
ALTER TABLE customers ADD COLUMN legacy_code text;
COMMENT ON COLUMN customers.legacy_code IS 'Account number in the old billing system.';
