-- Reference data, seeded in data/: ISO 3166-1 alpha-2 countries and ISO 4217 currencies.
CREATE TABLE IF NOT EXISTS countries (
    code char(2) NOT NULL,
    name varchar(100) NOT NULL,
    CONSTRAINT countries_pkey PRIMARY KEY (code),
    CONSTRAINT countries_code_check CHECK (code ~ '^[A-Z]{2}$')
);

CREATE TABLE IF NOT EXISTS currencies (
    code char(3) NOT NULL,
    name varchar(100) NOT NULL,
    minor_units smallint NOT NULL DEFAULT 2,
    CONSTRAINT currencies_pkey PRIMARY KEY (code),
    CONSTRAINT currencies_minor_units_check CHECK (minor_units BETWEEN 0 AND 4)
);
