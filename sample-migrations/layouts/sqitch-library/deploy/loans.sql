-- Deploy library:loans to pg
-- requires: books

BEGIN;
SET LOCAL lock_timeout = '5s';

CREATE TABLE IF NOT EXISTS library.loans (
    book_id     integer NOT NULL REFERENCES library.books (id),
    borrower    text    NOT NULL,
    lent_on     date    NOT NULL DEFAULT current_date,
    due_on      date    NOT NULL,
    returned_on date,
    CHECK (due_on >= lent_on),
    PRIMARY KEY (book_id, lent_on)
);

COMMIT;
