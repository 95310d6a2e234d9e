-- Deploy library:authors to pg
-- requires: appschema

BEGIN;

CREATE TABLE IF NOT EXISTS library.authors (
    id        integer GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    full_name text NOT NULL,
    born      smallint
);

COMMIT;
