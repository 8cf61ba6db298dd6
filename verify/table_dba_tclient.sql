-- Verify feeds:table_dba_tclient on pg
SELECT client_name, job_name, inbox_dir, created_at FROM dba.tclient WHERE false;
