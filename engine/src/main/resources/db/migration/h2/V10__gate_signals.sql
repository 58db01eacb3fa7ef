-- The gate signals (CI statuses, analysis values) fetched for the waves that wait on them, with
-- when: stored so that every replica's pass and API read the same values and their age.
CREATE TABLE gate_signals (
  rollout_id VARCHAR(200) PRIMARY KEY,
  wave       INT NOT NULL,
  signals    CLOB NOT NULL,
  fetched_at TIMESTAMP(6) WITH TIME ZONE NOT NULL
);
