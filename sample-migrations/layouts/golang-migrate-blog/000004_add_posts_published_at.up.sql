ALTER TABLE posts ADD COLUMN published_at timestamptz;
CREATE INDEX posts_published_at_idx ON posts (published_at) WHERE published_at IS NOT NULL;
