-- Verify feeds:table_dba_tdataloads_client_name on pg
SELECT client_name FROM dba.tdataloads WHERE false;
