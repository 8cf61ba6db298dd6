-- Verify feeds:function_dba_report_once on pg
SELECT 'dba.report_once(text, text, bigint, bigint, text)'::regprocedure;
