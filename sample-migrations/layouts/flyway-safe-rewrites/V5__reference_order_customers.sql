-- NOT VALID: only rows written from now on are checked, so adding it reads nothing; V6 checks the old rows.
SET LOCAL lock_timeout = '5s';
ALTER TABLE orders ADD CONSTRAINT orders_customer_id_fkey FOREIGN KEY (customer_id) REFERENCES customers (id) NOT VALID;
