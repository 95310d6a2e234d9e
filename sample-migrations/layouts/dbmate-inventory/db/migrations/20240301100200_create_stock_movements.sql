-- migrate:up
-- Every receipt or shipment is a movement; a trigger keeps items.on_hand equal to their sum.
SET LOCAL lock_timeout = '5s';
CREATE TABLE stock_movements (
    id       bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    item_id  bigint      NOT NULL REFERENCES items (id) ON DELETE CASCADE,
    quantity integer     NOT NULL CHECK (quantity <> 0),
    moved_at timestamptz NOT NULL DEFAULT now()
);

CREATE FUNCTION apply_stock_movement() RETURNS trigger
LANGUAGE plpgsql AS $$
BEGIN
    UPDATE items SET on_hand = on_hand + NEW.quantity WHERE id = NEW.item_id;
    RETURN NEW;
END;
$$;

CREATE TRIGGER stock_movements_apply AFTER INSERT ON stock_movements
    FOR EACH ROW EXECUTE FUNCTION apply_stock_movement();

-- migrate:down
DROP TABLE stock_movements;
DROP FUNCTION apply_stock_movement();
