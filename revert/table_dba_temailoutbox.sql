-- Revert feeds:table_dba_temailoutbox from pg
BEGIN;

DROP TABLE dba.temailoutbox;

COMMIT;
