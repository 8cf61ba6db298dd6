-- Verify feeds:function_dba__record_rejects on pg
SELECT 'dba._record_rejects(bigint, text, regclass, integer, text[], text[])'::regprocedure;
