-- Revert feeds:function_dba__kept_images from pg
BEGIN;

DROP FUNCTION dba._kept_images(bigint, regclass, bigint, bigint[]);

COMMIT;
