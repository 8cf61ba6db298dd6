-- Revert feeds:function_dba__drop_old_stages from pg
BEGIN;

DROP FUNCTION dba._drop_old_stages(uuid);

COMMIT;
