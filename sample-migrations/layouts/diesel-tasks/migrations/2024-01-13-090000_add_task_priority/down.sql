ALTER TABLE tasks DROP COLUMN priority;
DROP TYPE task_priority;
