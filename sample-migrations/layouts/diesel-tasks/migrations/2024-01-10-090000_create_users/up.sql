CREATE TABLE users (
    id         serial PRIMARY KEY,
    username   varchar(40) NOT NULL UNIQUE,
    created_at timestamp   NOT NULL DEFAULT current_timestamp
);
