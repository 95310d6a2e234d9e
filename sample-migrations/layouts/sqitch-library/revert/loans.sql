-- Revert library:loans from pg

BEGIN;

DROP TABLE library.loans;

COMMIT;
