ALTER TABLE events ADD COLUMN source text;
-- DEFECT: CONCURRENTLY cannot run inside a transaction, and this file also holds the ALTER TABLE above, so Flyway
-- runs it in one (and refuses the mix unless mixed=true); split the index into its own V file.
CREATE INDEX CONCURRENTLY events_kind_idx ON events (kind);
