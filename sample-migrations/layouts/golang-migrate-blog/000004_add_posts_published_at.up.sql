SET LOCAL lock_timeout = '5s';
ALTER TABLE posts ADD COLUMN published_at timestamptz;
-- rehearse:allow create-index-non-concurrently golang-migrate sends this file as one query string, in which
-- CONCURRENTLY fails; posts is small, so the build that blocks its writes is short.
CREATE INDEX posts_published_at_idx ON posts (published_at) WHERE published_at IS NOT NULL;
