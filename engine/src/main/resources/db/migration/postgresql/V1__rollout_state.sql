-- Flotilla's own tables, PostgreSQL flavour: the same as the H2 migration, with TEXT for
-- documents. Times are TIMESTAMP WITH TIME ZONE (microseconds), always written in UTC.

CREATE TABLE rollouts (
  id         VARCHAR(200) PRIMARY KEY,
  app        VARCHAR(253) NOT NULL,
  revision   VARCHAR(64)  NOT NULL,
  kind       VARCHAR(64)  NOT NULL,
  state      VARCHAR(64)  NOT NULL,
  version    BIGINT       NOT NULL,
  created_at TIMESTAMP(6) WITH TIME ZONE NOT NULL,
  updated_at TIMESTAMP(6) WITH TIME ZONE NOT NULL,
  body       TEXT         NOT NULL
);
CREATE INDEX rollouts_app ON rollouts (app);
CREATE INDEX rollouts_state ON rollouts (state);

-- Append-only: the code has no UPDATE or DELETE for this table.
CREATE TABLE audit_log (
  seq        BIGINT GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
  at         TIMESTAMP(6) WITH TIME ZONE NOT NULL,
  actor      VARCHAR(200) NOT NULL,
  rollout_id VARCHAR(200),
  app        VARCHAR(253),
  kind       VARCHAR(64)  NOT NULL,
  message    TEXT         NOT NULL,
  details    TEXT
);
CREATE INDEX audit_log_rollout ON audit_log (rollout_id, seq);
CREATE INDEX audit_log_app ON audit_log (app, seq);

CREATE TABLE approvals (
  rollout_id VARCHAR(200) NOT NULL REFERENCES rollouts (id),
  wave       VARCHAR(200) NOT NULL,
  actor      VARCHAR(200) NOT NULL,
  at         TIMESTAMP(6) WITH TIME ZONE NOT NULL,
  comment    TEXT,
  PRIMARY KEY (rollout_id, wave, actor)
);

CREATE TABLE sync_state (
  repo               VARCHAR(1000) NOT NULL,
  branch             VARCHAR(255)  NOT NULL,
  last_synced_commit VARCHAR(64),
  last_attempt_at    TIMESTAMP(6) WITH TIME ZONE NOT NULL,
  last_error         TEXT,
  PRIMARY KEY (repo, branch)
);

CREATE TABLE releases (
  app           VARCHAR(253) NOT NULL,
  revision      VARCHAR(64)  NOT NULL,
  first_seen_at TIMESTAMP(6) WITH TIME ZONE NOT NULL,
  state         VARCHAR(64)  NOT NULL,
  error         TEXT,
  PRIMARY KEY (app, revision)
);

CREATE TABLE scheduled_promotions (
  id         VARCHAR(200) PRIMARY KEY,
  rollout_id VARCHAR(200) NOT NULL REFERENCES rollouts (id),
  at         TIMESTAMP(6) WITH TIME ZONE NOT NULL,
  actor      VARCHAR(200) NOT NULL,
  created_at TIMESTAMP(6) WITH TIME ZONE NOT NULL,
  done_at    TIMESTAMP(6) WITH TIME ZONE
);
CREATE INDEX scheduled_promotions_rollout ON scheduled_promotions (rollout_id);
CREATE INDEX scheduled_promotions_pending ON scheduled_promotions (done_at, at);
