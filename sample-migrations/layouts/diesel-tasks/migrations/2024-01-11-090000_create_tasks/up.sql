SET LOCAL lock_timeout = '5s';
CREATE TABLE tasks (
    id         serial PRIMARY KEY,
    owner_id   integer   NOT NULL REFERENCES users (id) ON DELETE CASCADE,
    title      text      NOT NULL,
    done       boolean   NOT NULL DEFAULT false,
    due_on     date,
    created_at timestamp NOT NULL DEFAULT current_timestamp,
    updated_at timestamp NOT NULL DEFAULT current_timestamp
);

SELECT diesel_manage_updated_at('tasks');
