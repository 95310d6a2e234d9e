SET LOCAL lock_timeout = '5s';
-- DEFECT: the version of the application still running during the deploy reads and writes full_name, which is
-- gone the moment this commits; add display_name, write both, backfill, switch the readers, drop full_name last.
ALTER TABLE customers RENAME COLUMN full_name TO display_name;
