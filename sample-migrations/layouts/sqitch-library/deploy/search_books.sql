-- Deploy library:search_books to pg
-- requires: books

BEGIN;

CREATE OR REPLACE FUNCTION library.search_books(term text)
RETURNS SETOF library.books
LANGUAGE sql STABLE AS $$
    SELECT b.* FROM library.books b JOIN library.authors a ON a.id = b.author_id
    WHERE b.title ILIKE '%' || term || '%' OR a.full_name ILIKE '%' || term || '%'
    ORDER BY b.title;
$$;

COMMIT;
