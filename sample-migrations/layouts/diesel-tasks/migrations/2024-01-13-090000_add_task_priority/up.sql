SET LOCAL lock_timeout = '5s';
CREATE TYPE task_priority AS ENUM ('low', 'normal', 'high');
ALTER TABLE tasks ADD COLUMN priority task_priority NOT NULL DEFAULT 'normal';
