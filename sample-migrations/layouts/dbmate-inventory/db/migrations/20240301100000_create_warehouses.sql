-- migrate:up
CREATE TABLE warehouses (
    id   smallint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    code char(3)  NOT NULL UNIQUE,
    city text     NOT NULL
);

-- migrate:down
DROP TABLE warehouses;
