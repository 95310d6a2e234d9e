CREATE TABLE tickets (
    id      serial PRIMARY KEY,
    subject text NOT NULL,
    status  text NOT NULL DEFAULT 'open' CHECK (status IN ('open', 'pending', 'closed'))
);
