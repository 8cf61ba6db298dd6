-- Verify feeds:table_dba_trun_interrupted_at on pg
SELECT interrupted_at FROM dba.trun WHERE false;
