SET LOCAL lock_timeout = '5s';
-- DEFECT: a plain CREATE INDEX holds a SHARE lock on events while it reads the whole table, so every insert,
-- update and delete waits for the build; use CREATE INDEX CONCURRENTLY in a file run outside a transaction.
CREATE INDEX events_kind_idx ON events (kind);
