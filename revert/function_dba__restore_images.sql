-- Revert feeds:function_dba__restore_images from pg
BEGIN;

DROP FUNCTION dba._restore_images(bigint, regclass);

COMMIT;
