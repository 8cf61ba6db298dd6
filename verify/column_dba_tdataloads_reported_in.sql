-- Verify feeds:column_dba_tdataloads_reported_in on pg
SELECT reported_in FROM dba.tdataloads WHERE false;
