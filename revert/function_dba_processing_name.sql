-- Revert feeds:function_dba_processing_name from pg
BEGIN;

DROP FUNCTION dba.processing_name(text, text);

COMMIT;
