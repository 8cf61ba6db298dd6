-- Revert feeds:table_dba_timportconfig_quoted_empty from pg
BEGIN;

ALTER TABLE dba.timportconfig DROP COLUMN quoted_empty;

COMMIT;
