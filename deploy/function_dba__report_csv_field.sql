-- Deploy feeds:function_dba__report_csv_field to pg
-- Generated from db/functions/dba._report_csv_field.sql by bin/sync-functions: edit that file, not this one.
BEGIN;

-- dba._report_csv_field: one value as an RFC 4180 CSV field, safe to open in a spreadsheet.
CREATE OR REPLACE FUNCTION dba._report_csv_field(p_value text)
RETURNS text
LANGUAGE sql
IMMUTABLE
PARALLEL SAFE
SET search_path = pg_catalog, pg_temp
AS $function$
/*
   From psql (as feeds_owner):
     SELECT dba._report_csv_field('say "hi", then go');   -- "say ""hi"", then go"
     SELECT dba._report_csv_field('=cmd|x!A1');           -- "'=cmd|x!A1"
   NULL is an empty field; every other value is quoted, inner quotes doubled. A value that a
   spreadsheet would take for a formula (first character =, +, -, @, tab or CR: OWASP "CSV
   injection") gets a leading apostrophe, so it is shown as text and never run.
*/
SELECT CASE WHEN p_value IS NULL THEN ''
            ELSE '"' || CASE WHEN p_value ~ '^[=+@\t\r-]' THEN '''' ELSE '' END
                     || replace(p_value, '"', '""') || '"' END;
$function$;

ALTER FUNCTION dba._report_csv_field(text) OWNER TO feeds_owner;
REVOKE ALL ON FUNCTION dba._report_csv_field(text) FROM PUBLIC;
COMMENT ON FUNCTION dba._report_csv_field(text) IS
'Internal: quotes one value as an RFC 4180 CSV field (NULL gives an empty field); a value starting with =, +, -, @, tab or CR gets a leading apostrophe so that a spreadsheet shows it as text (no formula injection). Raises nothing.';

COMMIT;
