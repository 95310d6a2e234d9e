-- Verify library:authors on pg

SELECT id, full_name, born FROM library.authors WHERE false;
