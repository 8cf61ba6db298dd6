-- Revert feeds:type_dba_load_source from pg
BEGIN;

DROP TYPE dba.load_source;

COMMIT;
