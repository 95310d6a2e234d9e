-- Revert library:books from pg

BEGIN;

DROP TABLE library.books;

COMMIT;
