-- Revert feeds:function_dba__forget_images from pg
BEGIN;

DROP FUNCTION dba._forget_images(bigint, regclass);

COMMIT;
