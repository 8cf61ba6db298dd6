-- Verify feeds:function_dba__job_for_file on pg
SELECT 'dba._job_for_file(text, text)'::regprocedure;
