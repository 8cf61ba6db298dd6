-- Verify feeds:table_dba_timportconfig_undo_hook on pg
SELECT undo_hook FROM dba.timportconfig WHERE false;
