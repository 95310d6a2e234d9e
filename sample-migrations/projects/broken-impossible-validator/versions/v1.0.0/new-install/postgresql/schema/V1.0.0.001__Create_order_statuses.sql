CREATE TABLE IF NOT EXISTS order_statuses (
    code varchar(20) NOT NULL,
    label varchar(100) NOT NULL,
    is_final boolean NOT NULL DEFAULT false,
    CONSTRAINT order_statuses_pkey PRIMARY KEY (code)
);
