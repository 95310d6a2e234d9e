DROP TABLE posts;
DROP FUNCTION set_updated_at();
