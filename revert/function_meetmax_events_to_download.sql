-- Revert feeds:function_meetmax_events_to_download from pg
BEGIN;

DROP FUNCTION meetmax.events_to_download(integer[]);

COMMIT;
