-- Verify feeds:table_dba_trun on pg
SELECT run_uuid, process_type, as_of, started_by, started_at, finished_at FROM dba.trun WHERE false;
