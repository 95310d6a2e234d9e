SELECT NOT EXISTS (SELECT 1 FROM customers WHERE marketing_opt_in);
