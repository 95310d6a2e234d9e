-- Revert library:authors from pg

BEGIN;

DROP TABLE library.authors;

COMMIT;
