-- Revert feeds:function_meetmax_finish_download from pg
BEGIN;

DROP FUNCTION meetmax.finish_download(bigint, text);

COMMIT;
