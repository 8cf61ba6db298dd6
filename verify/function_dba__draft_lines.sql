-- Verify feeds:function_dba__draft_lines on pg
SELECT 'dba._draft_lines(bytea[], bigint)'::regprocedure;
