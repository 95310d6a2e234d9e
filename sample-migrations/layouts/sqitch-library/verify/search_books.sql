-- Verify library:search_books on pg: the reworked function also looks at author names.

SELECT 1 / count(*)
FROM pg_catalog.pg_proc
WHERE oid = 'library.search_books(text)'::regprocedure
  AND prosrc LIKE '%library.authors%';
