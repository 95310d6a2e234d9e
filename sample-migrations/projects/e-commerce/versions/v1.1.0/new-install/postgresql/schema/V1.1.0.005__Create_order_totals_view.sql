CREATE OR REPLACE VIEW order_totals AS
SELECT o.id AS order_id,
       o.customer_id,
       o.status,
       count(i.line_no) AS line_count,
       coalesce(sum(i.quantity * i.unit_price), 0)::numeric(12,2) AS total,
       o.currency
FROM orders o
LEFT JOIN order_items i ON i.order_id = o.id
GROUP BY o.id;

COMMENT ON VIEW order_totals IS 'Per-order line count and total, for the back office.';
