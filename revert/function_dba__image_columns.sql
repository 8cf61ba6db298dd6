-- Revert feeds:function_dba__image_columns from pg
BEGIN;

DROP FUNCTION dba._image_columns(regclass, regclass, boolean);

COMMIT;
