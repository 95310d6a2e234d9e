-- Deploy library:books to pg
-- requires: authors

BEGIN;
SET LOCAL lock_timeout = '5s';

CREATE TABLE IF NOT EXISTS library.books (
    id        integer GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    author_id integer NOT NULL REFERENCES library.authors (id),
    title     text    NOT NULL,
    published smallint
);

CREATE INDEX IF NOT EXISTS books_author_id_idx ON library.books (author_id);

COMMIT;
