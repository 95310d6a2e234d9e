CREATE TABLE addresses (
    customer_id integer NOT NULL REFERENCES customers (id) ON DELETE CASCADE,
    line1       text    NOT NULL,
    city        text    NOT NULL,
    PRIMARY KEY (customer_id, line1)
);
