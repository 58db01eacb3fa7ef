-- Every body was converted to rows by V5; the old JSON documents are gone.
ALTER TABLE rollouts DROP COLUMN body;
ALTER TABLE rollouts ALTER COLUMN header SET NOT NULL;
ALTER TABLE rollouts ALTER COLUMN plan SET NOT NULL;
-- CANCELLED named two different endings; a person's rollback and a person's abort are now told apart.
UPDATE rollouts SET state = 'ROLLED_BACK' WHERE state = 'CANCELLED' AND header LIKE '%"reason":"rolled back by %';
UPDATE rollouts SET state = 'ABORTED' WHERE state = 'CANCELLED';
