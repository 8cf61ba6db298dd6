-- Verify feeds:function_dba_finish_run on pg
SELECT has_function_privilege('dba.finish_run(uuid)', 'execute');
