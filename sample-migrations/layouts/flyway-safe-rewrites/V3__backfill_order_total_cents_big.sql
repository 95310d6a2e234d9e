-- Its own migration, so no lock from V2 is still held while it reads orders; on a big table, run it in batches
-- (WHERE id BETWEEN …), each committed on its own.
UPDATE orders SET total_cents_big = total_cents WHERE total_cents_big IS NULL;
