-- Deploy feeds:table_dba_timportconfig_file_type_check to pg
-- requires: table_dba_timportconfig
-- requires: function_dba__is_workbook_type
BEGIN;

ALTER TABLE dba.timportconfig DROP CONSTRAINT timportconfig_file_type_check;
ALTER TABLE dba.timportconfig ADD CONSTRAINT timportconfig_file_type_check
      CHECK (file_type IN ('csv', 'txt') OR dba._is_workbook_type(file_type));
COMMENT ON COLUMN dba.timportconfig.file_type IS
'csv, txt (delimited text), or a workbook: xlsx (also xlsm), xls, xlsb, ods (the list is dba._is_workbook_type()); workbooks are converted to CSV before loading, their format told by content.';

COMMIT;
