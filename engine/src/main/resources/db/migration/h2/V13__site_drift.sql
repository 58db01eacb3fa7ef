-- The last drift check of each app at each push site: the revision compared with the cluster, how
-- many objects drifted, a bounded summary of their fields (at most 20 lines of 200 characters, one
-- per line), when it was checked, since when the site drifts (NULL while in sync) and when its
-- release was last re-applied by self-heal (NULL if never: at most one heal per check interval).
CREATE TABLE site_drift (
  site           VARCHAR(253) NOT NULL,
  app            VARCHAR(253) NOT NULL,
  revision       VARCHAR(64)  NOT NULL,
  objects        INT          NOT NULL,
  fields         VARCHAR(8000) NOT NULL,
  checked_at     TIMESTAMP(6) WITH TIME ZONE NOT NULL,
  drifting_since TIMESTAMP(6) WITH TIME ZONE,
  healed_at      TIMESTAMP(6) WITH TIME ZONE,
  PRIMARY KEY (site, app)
);
