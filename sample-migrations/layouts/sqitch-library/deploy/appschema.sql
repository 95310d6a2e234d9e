-- Deploy library:appschema to pg

BEGIN;

CREATE SCHEMA IF NOT EXISTS library;

COMMIT;
