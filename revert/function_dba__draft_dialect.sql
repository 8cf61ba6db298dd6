-- Revert feeds:function_dba__draft_dialect from pg
BEGIN;

DROP FUNCTION dba._draft_dialect(text[]);

COMMIT;
