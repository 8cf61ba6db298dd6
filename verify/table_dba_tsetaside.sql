-- Verify feeds:table_dba_tsetaside on pg
SELECT load_id, line_no FROM dba.tsetaside WHERE false;
