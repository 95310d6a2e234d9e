DROP INDEX IF EXISTS events_kind_idx;
ALTER TABLE events DROP COLUMN source;
