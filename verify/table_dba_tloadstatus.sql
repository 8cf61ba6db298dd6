-- Verify feeds:table_dba_tloadstatus on pg
SELECT status, is_loaded, is_live, is_final, description FROM dba.tloadstatus WHERE false;
SELECT 1 / (count(*) = 6)::int FROM dba.tloadstatus;
