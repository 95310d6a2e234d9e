-- Verify library:appschema on pg

SELECT pg_catalog.has_schema_privilege('library', 'usage');
