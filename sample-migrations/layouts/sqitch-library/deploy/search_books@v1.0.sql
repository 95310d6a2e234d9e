-- Deploy library:search_books to pg
-- requires: books

BEGIN;

CREATE OR REPLACE FUNCTION library.search_books(term text)
RETURNS SETOF library.books
LANGUAGE sql STABLE AS $$
    SELECT * FROM library.books WHERE title ILIKE '%' || term || '%' ORDER BY title;
$$;

COMMIT;
