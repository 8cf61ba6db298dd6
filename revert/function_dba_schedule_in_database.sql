-- Revert feeds:function_dba_schedule_in_database from pg
BEGIN;

DROP FUNCTION dba.schedule_in_database(text, text[], text, text);

COMMIT;
