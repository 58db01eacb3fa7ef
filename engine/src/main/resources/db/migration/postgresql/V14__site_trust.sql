-- Trust updates served to agents (docs/bundle-format.md, "Trust updates"): the trust version each
-- pull site's agent reported with its reports, so `flotilla keys audit` can show which sites took a
-- key rotation. One row per site, replaced by each report; a site that never reported has none.
CREATE TABLE site_trust (
  site        VARCHAR(253)  PRIMARY KEY,
  version     INTEGER       NOT NULL,
  problem     VARCHAR(2000),
  since       TIMESTAMP(6) WITH TIME ZONE NOT NULL,
  reported_at TIMESTAMP(6) WITH TIME ZONE NOT NULL
);
