-- Verify feeds:type_dba_load_source on pg
SELECT 'dba.load_source'::regtype;
