-- VALIDATE CONSTRAINT reads every order under a SHARE UPDATE EXCLUSIVE lock, which lets reads and writes through;
-- in its own migration, so the stronger lock V5 took is not held any more.
SET LOCAL lock_timeout = '5s';
ALTER TABLE orders VALIDATE CONSTRAINT orders_customer_id_fkey;
