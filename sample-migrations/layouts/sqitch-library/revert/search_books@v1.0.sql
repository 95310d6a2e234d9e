-- Revert library:search_books from pg

BEGIN;

DROP FUNCTION library.search_books(text);

COMMIT;
