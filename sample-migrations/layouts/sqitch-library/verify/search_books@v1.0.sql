-- Verify library:search_books on pg

SELECT pg_catalog.has_function_privilege('library.search_books(text)', 'execute');
