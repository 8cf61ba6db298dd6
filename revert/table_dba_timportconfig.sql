-- Revert feeds:table_dba_timportconfig from pg
BEGIN;

DROP TABLE dba.timportconfig;

COMMIT;
