-- DEFECT: no IF NOT EXISTS. The first run works; a re-run (a retried deployment, a second pod running
-- the same job) fails with SQLSTATE 42701 "column already exists". Rehearse's `idempotence` check must fail.
ALTER TABLE customers ADD COLUMN phone varchar(32);
