-- DEFECT: the up migration adds nickname and bio; this down drops only nickname, so bio outlives the rollback.
ALTER TABLE members DROP COLUMN nickname;
