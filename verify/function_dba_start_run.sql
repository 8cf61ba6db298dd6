-- Verify feeds:function_dba_start_run on pg
SELECT has_function_privilege('dba.start_run(text, date)', 'execute');
