-- Verify feeds:column_dba_tloadstatus_is_failed on pg
SELECT is_failed, log_level FROM dba.tloadstatus WHERE false;
SELECT 1 / (count(*) = 1)::int FROM dba.tloadstatus WHERE is_failed;
