SELECT to_regclass('public.customers') IS NOT NULL;
