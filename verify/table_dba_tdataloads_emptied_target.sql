-- Verify feeds:table_dba_tdataloads_emptied_target on pg
SELECT emptied_target FROM dba.tdataloads WHERE false;
