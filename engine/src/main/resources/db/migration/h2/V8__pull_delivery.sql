-- Pull delivery (docs/bundle-format.md, "Serving"): what each pull site should run per app, the
-- bundles themselves when they live in the database, the sites' tokens, and what agents reported.

-- The current target of a (site, app): sequence only ever grows (a rollback is a new, higher
-- sequence pointing to an older revision); the row is never deleted, so a sequence is never reused.
CREATE TABLE pull_targets (
  site         VARCHAR(253) NOT NULL,
  app          VARCHAR(253) NOT NULL,
  sequence     BIGINT       NOT NULL,
  revision     VARCHAR(64)  NOT NULL,
  rollout_id   VARCHAR(200) NOT NULL,
  etag         VARCHAR(100) NOT NULL,
  size         BIGINT       NOT NULL,
  published_at TIMESTAMP(6) WITH TIME ZONE NOT NULL,
  PRIMARY KEY (site, app)
);

-- Bundle bytes (the .tar form), when the bundle store is the database (replicas).
CREATE TABLE pull_bundles (
  site     VARCHAR(253) NOT NULL,
  app      VARCHAR(253) NOT NULL,
  sequence BIGINT       NOT NULL,
  bytes    BLOB         NOT NULL,
  PRIMARY KEY (site, app, sequence)
);

-- One token per site, stored as the SHA-256 of the token (tokens are 256 random bits).
CREATE TABLE site_tokens (
  site         VARCHAR(253) PRIMARY KEY,
  token_sha256 CHAR(64)     NOT NULL UNIQUE,
  created_at   TIMESTAMP(6) WITH TIME ZONE NOT NULL
);

-- The newest report of each (site, app) an agent posted, with a hold when the site operator set one.
CREATE TABLE agent_reports (
  site        VARCHAR(253) NOT NULL,
  app         VARCHAR(253) NOT NULL,
  revision    VARCHAR(64),
  sequence    BIGINT       NOT NULL,
  health      VARCHAR(16)  NOT NULL,
  observed_at TIMESTAMP(6) WITH TIME ZONE NOT NULL,
  message     VARCHAR,
  hold_until  TIMESTAMP(6) WITH TIME ZONE,
  hold_reason VARCHAR,
  PRIMARY KEY (site, app)
);
CREATE INDEX agent_reports_app ON agent_reports (app);

-- How far each site's report queue has been taken: a report is taken once, by its number in the
-- queue (epoch names the queue; an agent whose state folder was recreated starts a new one).
CREATE TABLE agent_report_marks (
  site     VARCHAR(253) PRIMARY KEY,
  epoch    VARCHAR(64)  NOT NULL,
  last_seq BIGINT       NOT NULL
);
