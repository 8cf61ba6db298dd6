-- Revert feeds:function_dba__report_csv_field from pg
BEGIN;

DROP FUNCTION dba._report_csv_field(text);

COMMIT;
