-- Revert feeds:function_dba__record_rejects from pg
BEGIN;

DROP FUNCTION dba._record_rejects(bigint, text, regclass, integer, text[], text[]);

COMMIT;
