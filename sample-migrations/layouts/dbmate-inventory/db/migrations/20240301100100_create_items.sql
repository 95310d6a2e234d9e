-- migrate:up
SET LOCAL lock_timeout = '5s';
CREATE TABLE items (
    id           bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    warehouse_id smallint NOT NULL REFERENCES warehouses (id),
    sku          text     NOT NULL,
    description  text     NOT NULL,
    on_hand      integer  NOT NULL DEFAULT 0 CHECK (on_hand >= 0),
    UNIQUE (warehouse_id, sku)
);

-- migrate:down
DROP TABLE items;
