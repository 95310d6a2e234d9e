INSERT INTO order_statuses (code, label, is_final) VALUES
    ('pending', 'Waiting for payment', false),
    ('paid', 'Paid', false),
    ('shipped', 'Shipped', false),
    ('delivered', 'Delivered', true)
ON CONFLICT (code) DO NOTHING;
