CREATE TABLE authors (
    id           bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    handle       text NOT NULL UNIQUE CHECK (handle ~ '^[a-z0-9_]{3,30}$'),
    display_name text NOT NULL
);
