-- Every recorded observation takes the next number of a sequence, so the scheduling pass reads only
-- the reports that changed since its last read instead of every site of the app on every pass.
CREATE SEQUENCE site_report_changes;
ALTER TABLE site_reports ADD COLUMN change_seq BIGINT DEFAULT 0 NOT NULL;
CREATE INDEX site_reports_app_change ON site_reports (app, change_seq);

-- "Does another release of this app wait at some site?" is asked for every batch of intents: an
-- index led by app and state answers it from the pending rows, not from every intent the app ever had.
CREATE INDEX delivery_intents_app_state ON delivery_intents (app, state);
