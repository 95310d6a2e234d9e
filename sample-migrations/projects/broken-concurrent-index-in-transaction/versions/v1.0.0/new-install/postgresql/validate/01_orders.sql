SELECT to_regclass('public.idx_orders_customer_id') IS NOT NULL;
