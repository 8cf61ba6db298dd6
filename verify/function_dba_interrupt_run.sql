-- Verify feeds:function_dba_interrupt_run on pg
SELECT 1/count(*) FROM pg_proc WHERE oid = 'dba.interrupt_run(uuid, text)'::regprocedure
   AND has_function_privilege('feeds_etl', oid, 'execute');
