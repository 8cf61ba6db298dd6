-- Deploy feeds:column_dba_tdataloads_reported_in to pg
-- requires: table_dba_tdataloads
BEGIN;

ALTER TABLE dba.tdataloads
    ADD COLUMN reported_in uuid CONSTRAINT tdataloads_reported_in_fkey REFERENCES dba.trun (run_uuid);
-- Loads that existed before reports kept this state count as reported by their own run.
UPDATE dba.tdataloads SET reported_in = run_uuid WHERE status <> 'pending';
CREATE INDEX tdataloads_unreported_idx ON dba.tdataloads (load_id) WHERE reported_in IS NULL;
COMMENT ON COLUMN dba.tdataloads.reported_in IS
'The run whose report told this load''s outcome (set by dba.queue_run_report); NULL while not reported yet, so a load of a run killed before its report is in the next run''s report.';

COMMIT;
