-- Revert library:search_books from pg: back to the v1.0 function, which searched titles only.

BEGIN;

CREATE OR REPLACE FUNCTION library.search_books(term text)
RETURNS SETOF library.books
LANGUAGE sql STABLE AS $$
    SELECT * FROM library.books WHERE title ILIKE '%' || term || '%' ORDER BY title;
$$;

COMMIT;
