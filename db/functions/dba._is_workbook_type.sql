-- dba._is_workbook_type: the one list of file_type values that are workbooks (converted to CSV).
CREATE OR REPLACE FUNCTION dba._is_workbook_type(p_file_type text)
RETURNS boolean
LANGUAGE sql
IMMUTABLE
PARALLEL SAFE
SET search_path = pg_catalog, pg_temp
AS $function$
/*
   Internal; used by the file_type CHECK of dba.timportconfig and by dba.register_file(),
   dba.run_import() and dba.files_to_move():
     SELECT dba._is_workbook_type('ods');   -- true
   A workbook job matches the original name (list.xlsx) and loads the converted list.xlsx.csv.
   The converter tells the format by content, so a job's type names what the client sends.
*/
SELECT p_file_type IN ('xlsx', 'xls', 'xlsb', 'ods')
$function$;

ALTER FUNCTION dba._is_workbook_type(text) OWNER TO feeds_owner;
REVOKE ALL ON FUNCTION dba._is_workbook_type(text) FROM PUBLIC;
COMMENT ON FUNCTION dba._is_workbook_type(text) IS
'Internal: true for the file_type values of workbooks (xlsx, xls, xlsb, ods), which the watcher converts to <name>.csv before loading; the one place that lists them. Raises nothing.';
