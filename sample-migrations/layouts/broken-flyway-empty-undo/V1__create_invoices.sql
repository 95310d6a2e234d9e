CREATE TABLE invoices (
    id        bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    number    text    NOT NULL UNIQUE,
    total     numeric(12, 2) NOT NULL CHECK (total >= 0)
);
