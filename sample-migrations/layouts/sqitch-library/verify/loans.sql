-- Verify library:loans on pg

SELECT book_id, borrower, lent_on, due_on, returned_on FROM library.loans WHERE false;
