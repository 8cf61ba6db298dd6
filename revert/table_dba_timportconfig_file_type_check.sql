-- Revert feeds:table_dba_timportconfig_file_type_check from pg
BEGIN;

ALTER TABLE dba.timportconfig DROP CONSTRAINT timportconfig_file_type_check;
ALTER TABLE dba.timportconfig ADD CONSTRAINT timportconfig_file_type_check
      CHECK (file_type IN ('csv', 'txt', 'xlsx', 'xls'));
COMMENT ON COLUMN dba.timportconfig.file_type IS
'csv, txt (delimited text), xlsx or xls; Excel files are converted to CSV before loading.';

COMMIT;
