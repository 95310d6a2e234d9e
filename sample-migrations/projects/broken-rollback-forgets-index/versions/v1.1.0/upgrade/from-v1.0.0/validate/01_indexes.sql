SELECT to_regclass('public.idx_orders_status') IS NOT NULL AND to_regclass('public.idx_orders_placed_at') IS NOT NULL;
