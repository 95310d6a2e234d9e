-- migrate:up
ALTER TABLE documents ADD COLUMN folder_id bigint REFERENCES folders (id);

-- migrate:down
ALTER TABLE documents DROP COLUMN folder_id;
