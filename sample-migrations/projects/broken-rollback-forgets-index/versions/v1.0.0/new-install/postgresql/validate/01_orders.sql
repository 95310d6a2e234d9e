SELECT to_regclass('public.orders') IS NOT NULL;
