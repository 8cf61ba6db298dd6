-- Revert feeds:function_dba__timportconfig_check from pg
BEGIN;

DROP TRIGGER timportconfig_check ON dba.timportconfig;
DROP FUNCTION dba._timportconfig_check();

COMMIT;
