-- Revert feeds:table_dba_twatcher_report from pg
BEGIN;

DROP TABLE dba.twatcher_report;

COMMIT;
