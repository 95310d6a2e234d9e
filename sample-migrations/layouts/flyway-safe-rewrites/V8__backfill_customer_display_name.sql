UPDATE customers SET display_name = full_name WHERE display_name IS NULL;
