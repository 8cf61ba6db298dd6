-- dba._report_csv_field: one value as an RFC 4180 CSV field.
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
   NULL is an empty field; every other value is quoted, inner quotes doubled.
*/
SELECT CASE WHEN p_value IS NULL THEN '' ELSE '"' || replace(p_value, '"', '""') || '"' END;
$function$;

ALTER FUNCTION dba._report_csv_field(text) OWNER TO feeds_owner;
REVOKE ALL ON FUNCTION dba._report_csv_field(text) FROM PUBLIC;
COMMENT ON FUNCTION dba._report_csv_field(text) IS
'Internal: quotes one value as an RFC 4180 CSV field (NULL gives an empty field). Raises nothing.';
