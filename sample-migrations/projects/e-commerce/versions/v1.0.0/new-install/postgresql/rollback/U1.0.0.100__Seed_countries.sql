DELETE FROM countries WHERE code IN ('BR', 'CA', 'DE', 'FR', 'GB', 'JP', 'US');
