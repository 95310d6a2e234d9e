CREATE TABLE orders (
    id          bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    email       text        NOT NULL,
    total_cents integer     NOT NULL,
    placed_at   timestamptz NOT NULL DEFAULT now()
);
