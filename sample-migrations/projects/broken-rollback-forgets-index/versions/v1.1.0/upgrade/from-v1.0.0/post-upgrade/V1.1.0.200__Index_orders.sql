-- Both columns already exist in v1.0.0, so dropping the note column will not take these indexes along.
-- rehearse:allow create-index-non-concurrently this sample is about the rollback; orders is tiny here
CREATE INDEX IF NOT EXISTS idx_orders_status ON orders (status);
-- rehearse:allow create-index-non-concurrently as above
CREATE INDEX IF NOT EXISTS idx_orders_placed_at ON orders (placed_at);
