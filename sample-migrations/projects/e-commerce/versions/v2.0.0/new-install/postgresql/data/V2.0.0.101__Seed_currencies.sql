INSERT INTO currencies (code, name, minor_units) VALUES
    ('BRL', 'Brazilian real', 2),
    ('CAD', 'Canadian dollar', 2),
    ('EUR', 'Euro', 2),
    ('GBP', 'Pound sterling', 2),
    ('JPY', 'Japanese yen', 0),
    ('USD', 'United States dollar', 2)
ON CONFLICT (code) DO NOTHING;
