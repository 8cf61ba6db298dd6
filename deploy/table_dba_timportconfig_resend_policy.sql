-- Deploy feeds:table_dba_timportconfig_resend_policy to pg
-- requires: table_dba_timportconfig
BEGIN;

ALTER TABLE dba.timportconfig ADD COLUMN resend_policy text NOT NULL DEFAULT 'new'
    CONSTRAINT timportconfig_resend_policy_check CHECK (resend_policy IN ('new', 'supersede', 'refuse'));
COMMENT ON COLUMN dba.timportconfig.resend_policy IS
'What a new file (new content) under the name of a file this job has loaded does: new (load it as new data, next to the earlier load), supersede (undo the earlier load of that name, its rows and what its post-load hook did, then load the new one), or refuse (fail it with FD045; the earlier load stays). See dba._apply_resend_policy().';

COMMIT;
