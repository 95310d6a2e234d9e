UPDATE orders SET total_cents_big = NULL;
