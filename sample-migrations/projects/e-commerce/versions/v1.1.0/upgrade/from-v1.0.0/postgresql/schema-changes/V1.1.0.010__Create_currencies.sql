-- Reference data: ISO 4217 currencies, seeded in data-migration/.
CREATE TABLE IF NOT EXISTS currencies (
    code char(3) NOT NULL,
    name varchar(100) NOT NULL,
    minor_units smallint NOT NULL DEFAULT 2,
    CONSTRAINT currencies_pkey PRIMARY KEY (code),
    CONSTRAINT currencies_minor_units_check CHECK (minor_units BETWEEN 0 AND 4)
);
