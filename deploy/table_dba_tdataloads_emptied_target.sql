-- Deploy feeds:table_dba_tdataloads_emptied_target to pg
-- requires: table_dba_tdataloads
BEGIN;

ALTER TABLE dba.tdataloads ADD COLUMN emptied_target boolean NOT NULL DEFAULT false;
COMMENT ON COLUMN dba.tdataloads.emptied_target IS
'True on the load that emptied a replace_per_run target for its run (the run''s first file of the job); the removed rows are in dba.tloadundo under this load.';

COMMIT;
