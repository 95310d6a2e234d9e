UPDATE customers SET display_name = NULL;
