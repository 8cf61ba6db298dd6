-- Revert feeds:function_dba__over_reject_limit from pg
BEGIN;

DROP FUNCTION dba._over_reject_limit(dba.timportconfig, bigint, bigint);

COMMIT;
