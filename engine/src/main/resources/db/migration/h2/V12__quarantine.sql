-- Stored items the engine cannot use (a rollout whose documents cannot be read, a scheduled
-- promotion Quartz cannot schedule): set aside so that everything else goes on, and shown by
-- /api/v1/health (degraded) and /api/v1/quarantine until someone repairs or removes them.
CREATE TABLE quarantine (
  kind      VARCHAR(40)   NOT NULL,
  item_id   VARCHAR(300)  NOT NULL,
  reason    VARCHAR(2000) NOT NULL,
  at        TIMESTAMP(6) WITH TIME ZONE NOT NULL,
  PRIMARY KEY (kind, item_id)
);
