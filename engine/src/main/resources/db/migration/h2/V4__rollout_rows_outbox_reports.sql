-- Stored form v2 (see docs/storage.md): a rollout is a header row (state, wave progress, and its
-- plan, rewritten only when membership changes) plus one row per (rollout, site), written by delta.
-- Decisions to deliver are intents in an outbox; what sites report lands in site_reports.
ALTER TABLE rollouts ADD COLUMN header CLOB;
ALTER TABLE rollouts ADD COLUMN plan CLOB;
ALTER TABLE rollouts ADD COLUMN retired_at TIMESTAMP(6) WITH TIME ZONE;
ALTER TABLE rollouts ADD COLUMN waiting_on VARCHAR;
ALTER TABLE rollouts ALTER COLUMN body DROP NOT NULL;

CREATE TABLE rollout_sites (
  rollout_id   VARCHAR(200) NOT NULL REFERENCES rollouts (id),
  site         VARCHAR(253) NOT NULL,
  status       VARCHAR(16)  NOT NULL,
  sent_at      TIMESTAMP(6) WITH TIME ZONE,
  done_at      TIMESTAMP(6) WITH TIME ZONE,
  last_seen_at TIMESTAMP(6) WITH TIME ZONE,
  healthy      BOOLEAN,
  message      VARCHAR,
  PRIMARY KEY (rollout_id, site)
);

-- One row per delivery the state machine decided; idempotency_key = rollout/wave/site, so a
-- decision stored twice is one intent. state: PENDING until a worker carried it out (DONE), or the
-- decision was overtaken (CANCELLED). A claim is a lease: a crashed worker's intent is taken again.
CREATE TABLE delivery_intents (
  idempotency_key VARCHAR(700) PRIMARY KEY,
  rollout_id      VARCHAR(200) NOT NULL,
  wave            VARCHAR(253) NOT NULL,
  site            VARCHAR(253) NOT NULL,
  app             VARCHAR(253) NOT NULL,
  revision        VARCHAR(64)  NOT NULL,
  delivery        VARCHAR(16)  NOT NULL,
  state           VARCHAR(16)  NOT NULL,
  attempts        INT          NOT NULL,
  next_attempt_at TIMESTAMP(6) WITH TIME ZONE NOT NULL,
  lease_owner     VARCHAR(100),
  lease_until     TIMESTAMP(6) WITH TIME ZONE,
  created_at      TIMESTAMP(6) WITH TIME ZONE NOT NULL,
  updated_at      TIMESTAMP(6) WITH TIME ZONE NOT NULL,
  last_error      VARCHAR
);
CREATE INDEX delivery_intents_due ON delivery_intents (state, next_attempt_at);
CREATE INDEX delivery_intents_site ON delivery_intents (app, site, state);
CREATE INDEX delivery_intents_rollout ON delivery_intents (rollout_id, state);

-- The newest report per (site, app), from delivery workers, collectors and agents.
CREATE TABLE site_reports (
  site           VARCHAR(253) NOT NULL,
  app            VARCHAR(253) NOT NULL,
  revision       VARCHAR(64),
  health         VARCHAR(16)  NOT NULL,
  observed_at    TIMESTAMP(6) WITH TIME ZONE,
  message        VARCHAR,
  unreachable_at TIMESTAMP(6) WITH TIME ZONE,
  unreachable    VARCHAR,
  PRIMARY KEY (site, app)
);
CREATE INDEX site_reports_app ON site_reports (app);
