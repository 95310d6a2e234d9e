CREATE TABLE events (
    id          bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    kind        text        NOT NULL,
    occurred_at timestamptz NOT NULL DEFAULT now()
);
