-- Nullable for now: data-migration/ fills them, post-upgrade/ makes first_name required.
SET lock_timeout = '5s';

ALTER TABLE customers
    ADD COLUMN IF NOT EXISTS first_name varchar(200),
    ADD COLUMN IF NOT EXISTS last_name varchar(200);
