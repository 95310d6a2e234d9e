ALTER TABLE invoices ADD COLUMN due_on date;
