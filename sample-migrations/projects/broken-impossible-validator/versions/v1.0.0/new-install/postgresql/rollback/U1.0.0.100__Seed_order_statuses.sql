DELETE FROM order_statuses WHERE code IN ('pending', 'paid', 'shipped', 'delivered');
