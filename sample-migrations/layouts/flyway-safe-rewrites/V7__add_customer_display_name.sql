-- Expand, instead of RENAME COLUMN full_name TO display_name (which breaks the version of the application still
-- running): the new column next to the old one. V8 copies the values; the application writes both until every
-- reader uses display_name, and a later release drops full_name.
SET LOCAL lock_timeout = '5s';
ALTER TABLE customers ADD COLUMN display_name text;
