DELETE FROM currencies WHERE code IN ('BRL', 'CAD', 'EUR', 'GBP', 'JPY', 'USD');
