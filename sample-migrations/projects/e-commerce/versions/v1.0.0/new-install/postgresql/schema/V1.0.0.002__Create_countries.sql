-- Reference data: ISO 3166-1 alpha-2 countries, seeded in data/.
CREATE TABLE IF NOT EXISTS countries (
    code char(2) NOT NULL,
    name varchar(100) NOT NULL,
    CONSTRAINT countries_pkey PRIMARY KEY (code),
    CONSTRAINT countries_code_check CHECK (code ~ '^[A-Z]{2}$')
);
