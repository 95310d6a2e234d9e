INSERT INTO countries (code, name) VALUES
    ('BR', 'Brazil'),
    ('CA', 'Canada'),
    ('DE', 'Germany'),
    ('FR', 'France'),
    ('GB', 'United Kingdom'),
    ('JP', 'Japan'),
    ('US', 'United States')
ON CONFLICT (code) DO NOTHING;
