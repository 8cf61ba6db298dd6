-- Verify feeds:function_dba__stage_mixed_lines on pg
SELECT 'dba._stage_mixed_lines(regclass, refcursor, text)'::regprocedure;
