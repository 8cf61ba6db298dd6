-- Revert feeds:table_dba_tsftpdownload from pg
BEGIN;

DROP TABLE dba.tsftpdownload;

COMMIT;
