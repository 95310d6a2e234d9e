-- Runs outside a transaction (metadata.toml) so the index is built without blocking writes; IF NOT EXISTS makes a
-- re-run after a failure harmless.
CREATE INDEX CONCURRENTLY IF NOT EXISTS tasks_due_on_idx ON tasks (due_on) WHERE NOT done;
