-- DEFECT: outside a transaction (metadata.toml) a failed run is re-run, but this index has no name, so every run
-- adds another one (tickets_status_idx, tickets_status_idx1, …); name it and add IF NOT EXISTS.
CREATE INDEX ON tickets (status);
