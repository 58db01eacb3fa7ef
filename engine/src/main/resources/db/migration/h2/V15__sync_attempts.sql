-- The fleet repo's recent sync attempts, shared by every replica and kept across restarts, for
-- GET /api/v1/sync. An attempt that repeats the newest one of its repo and branch exactly (same
-- revision, outcome, error, problems and failed releases: an unchanged repo polled every 30 s, an
-- unreachable remote) is folded into it: attempt_count goes up and last_at moves. The engine keeps
-- the newest 200 rows and deletes older ones as it adds a row. problems is a JSON array of
-- "file:line: field: message"; failed_releases a JSON object of app to reason.
CREATE TABLE sync_attempts (
  id              BIGINT GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
  repo            VARCHAR(1000) NOT NULL,
  branch          VARCHAR(255)  NOT NULL,
  attempted_at    TIMESTAMP(6) WITH TIME ZONE NOT NULL,
  last_at         TIMESTAMP(6) WITH TIME ZONE NOT NULL,
  attempt_count   INT           NOT NULL,
  revision        VARCHAR(64),
  outcome         VARCHAR(20)   NOT NULL,
  error           CLOB,
  problems        CLOB          NOT NULL,
  failed_releases CLOB          NOT NULL,
  replica         VARCHAR(253)  NOT NULL
);
CREATE INDEX sync_attempts_branch ON sync_attempts (repo, branch, id);
