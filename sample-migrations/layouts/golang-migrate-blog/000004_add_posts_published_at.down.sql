DROP INDEX posts_published_at_idx;
ALTER TABLE posts DROP COLUMN published_at;
