-- Verify feeds:function_dba_load_outcome on pg
SELECT 1/count(*) FROM pg_proc WHERE oid = 'dba.load_outcome(dba.tdataloads)'::regprocedure
   AND has_function_privilege('feeds_etl', oid, 'execute');
