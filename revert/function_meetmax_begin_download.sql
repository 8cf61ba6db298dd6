-- Revert feeds:function_meetmax_begin_download from pg
BEGIN;

DROP FUNCTION meetmax.begin_download(uuid, integer, text, bigint, text, text, text, text, boolean);

COMMIT;
