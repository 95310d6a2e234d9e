-- migrate:up
ALTER TABLE items ADD COLUMN reorder_level integer NOT NULL DEFAULT 0 CHECK (reorder_level >= 0);
COMMENT ON COLUMN items.reorder_level IS 'Order more when on_hand falls to this level.';

-- migrate:down
ALTER TABLE items DROP COLUMN reorder_level;
