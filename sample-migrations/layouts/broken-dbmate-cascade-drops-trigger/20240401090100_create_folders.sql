-- migrate:up
CREATE TABLE folders (
    id         bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    name       text        NOT NULL,
    updated_at timestamptz NOT NULL DEFAULT now()
);

CREATE TRIGGER folders_touch BEFORE UPDATE ON folders
    FOR EACH ROW EXECUTE FUNCTION touch_updated_at();

-- migrate:down
DROP TABLE folders;
-- DEFECT: touch_updated_at() belongs to 20240401090000_create_documents; CASCADE also drops that migration's
-- documents_touch trigger, so rolling back this migration breaks the one before it.
DROP FUNCTION touch_updated_at() CASCADE;
