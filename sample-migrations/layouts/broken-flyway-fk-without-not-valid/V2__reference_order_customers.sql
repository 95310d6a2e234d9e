SET LOCAL lock_timeout = '5s';
-- DEFECT: without NOT VALID, adding the foreign key reads every row of orders to check it while holding SHARE ROW
-- EXCLUSIVE locks on orders and customers, which block their writes; add it NOT VALID, then VALIDATE CONSTRAINT in
-- a later migration.
ALTER TABLE orders ADD CONSTRAINT orders_customer_id_fkey FOREIGN KEY (customer_id) REFERENCES customers (id);
