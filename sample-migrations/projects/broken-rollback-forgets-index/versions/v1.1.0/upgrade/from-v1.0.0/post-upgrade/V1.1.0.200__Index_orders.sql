-- Both columns already exist in v1.0.0, so dropping the note column will not take these indexes along.
CREATE INDEX IF NOT EXISTS idx_orders_status ON orders (status);
CREATE INDEX IF NOT EXISTS idx_orders_placed_at ON orders (placed_at);
