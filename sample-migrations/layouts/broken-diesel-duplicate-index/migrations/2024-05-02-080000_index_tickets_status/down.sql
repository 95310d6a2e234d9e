DROP INDEX tickets_status_idx;
