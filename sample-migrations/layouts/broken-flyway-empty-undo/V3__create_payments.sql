CREATE TABLE payments (
    id         bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    invoice_id bigint NOT NULL REFERENCES invoices (id),
    amount     numeric(12, 2) NOT NULL CHECK (amount > 0),
    paid_on    date NOT NULL DEFAULT current_date
);
