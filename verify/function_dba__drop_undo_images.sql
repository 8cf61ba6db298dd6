-- Verify feeds:function_dba__drop_undo_images on pg
SELECT 1/count(*) FROM pg_trigger WHERE tgname = 'tundoimages_drop_images' AND tgfoid = 'dba._drop_undo_images()'::regprocedure;
