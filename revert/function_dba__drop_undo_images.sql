-- Revert feeds:function_dba__drop_undo_images from pg
BEGIN;

DROP TRIGGER tundoimages_drop_images ON dba.tundoimages;
DROP FUNCTION dba._drop_undo_images();

COMMIT;
