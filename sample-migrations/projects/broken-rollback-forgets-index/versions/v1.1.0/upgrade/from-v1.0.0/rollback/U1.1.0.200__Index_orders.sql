-- DEFECT: idx_orders_placed_at was added to the forward file later and nobody updated this undo file,
-- so a database rolled back to v1.0.0 keeps an index v1.0.0 never had. Rehearse's `reversibility`
-- check must fail naming idx_orders_placed_at.
DROP INDEX IF EXISTS idx_orders_status;
