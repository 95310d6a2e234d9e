-- Each statement returns one row with one true column.
SELECT to_regclass('public.customers') IS NOT NULL
   AND to_regclass('public.categories') IS NOT NULL
   AND to_regclass('public.products') IS NOT NULL
   AND to_regclass('public.product_reviews') IS NOT NULL
   AND to_regclass('public.orders') IS NOT NULL
   AND to_regclass('public.order_items') IS NOT NULL
   AND to_regclass('public.order_totals') IS NOT NULL
   AND to_regclass('public.product_ratings') IS NOT NULL;

SELECT count(*) = 7 FROM countries;

SELECT count(*) = 6 FROM currencies;

SELECT count(*) = 3 FROM pg_trigger
WHERE tgname IN ('products_touch_updated_at', 'orders_touch_updated_at', 'product_reviews_touch_updated_at')
  AND NOT tgisinternal;
