-- Customers sign in with their e-mail address, which is unique regardless of case.
CREATE TABLE customers (
    id         bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    email      text        NOT NULL,
    full_name  text        NOT NULL,
    created_at timestamptz NOT NULL DEFAULT now()
);

CREATE UNIQUE INDEX customers_email_lower_key ON customers (lower(email));

COMMENT ON TABLE customers IS 'People who can place orders.';
