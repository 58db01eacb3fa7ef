-- Every body was converted to rows by V5; the old JSON documents are gone.
ALTER TABLE rollouts DROP COLUMN body;
ALTER TABLE rollouts ALTER COLUMN header SET NOT NULL;
ALTER TABLE rollouts ALTER COLUMN plan SET NOT NULL;
