-- Deploy feeds:table_dba_timportconfig_undo_hook to pg
-- requires: table_dba_timportconfig
BEGIN;

ALTER TABLE dba.timportconfig ADD COLUMN undo_hook text;
COMMENT ON COLUMN dba.timportconfig.undo_hook IS
'Function name (schema.name) taking the load id (bigint) that takes back what the post-load hook did for that load; dba.undo_load() (and a supersede) calls it in the same transaction, before the load''s rows are removed.';

COMMIT;
