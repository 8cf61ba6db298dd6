-- Deploy feeds:table_dba_trun_interrupted_at to pg
-- requires: table_dba_trun
BEGIN;

ALTER TABLE dba.trun ADD COLUMN interrupted_at timestamptz;
COMMENT ON COLUMN dba.trun.interrupted_at IS
'When the run was interrupted (Ctrl-C, SIGTERM) before it was done, set by dba.interrupt_run(); finished_at is then the same moment. NULL for a run that finished normally or is still running.';

COMMIT;
