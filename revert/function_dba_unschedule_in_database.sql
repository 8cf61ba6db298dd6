-- Revert feeds:function_dba_unschedule_in_database from pg
BEGIN;

DROP FUNCTION dba.unschedule_in_database();

COMMIT;
