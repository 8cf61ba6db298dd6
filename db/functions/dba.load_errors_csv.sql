-- dba.load_errors_csv: the rejected rows of one load as CSV for a spreadsheet (`feeds errors --csv`).
CREATE OR REPLACE FUNCTION dba.load_errors_csv(p_load_id bigint)
RETURNS text
LANGUAGE plpgsql
STABLE
SECURITY DEFINER
SET search_path = pg_catalog, pg_temp
AS $function$
/*
   From psql or `feeds errors 42 --csv`:
     \pset format unaligned
     SELECT dba.load_errors_csv(42);
   A header line (line,column,value,rule,message,raw_line) and one CRLF-ended line per rejected
   row and rule, every field quoted by dba._report_csv_field (formula-leading values get an
   apostrophe). Raises FD001 when the load does not exist.
*/
BEGIN
    IF NOT EXISTS (SELECT 1 FROM dba.tdataloads d WHERE d.load_id = p_load_id) THEN
        RAISE EXCEPTION 'load % does not exist', p_load_id USING ERRCODE = 'FD001';
    END IF;
    RETURN 'line,column,value,rule,message,raw_line' || E'\r\n'
           || coalesce((SELECT string_agg(concat_ws(',', coalesce(e.line_no::text, ''),
                                                     dba._report_csv_field(e.column_name), dba._report_csv_field(e.raw_value),
                                                     dba._report_csv_field(e.rule), dba._report_csv_field(e.message),
                                                     dba._report_csv_field(e.raw_line)) || E'\r\n',
                                           '' ORDER BY e.line_no NULLS FIRST, e.error_id)
                          FROM dba.tloaderror e WHERE e.load_id = p_load_id), '');
END
$function$;

ALTER FUNCTION dba.load_errors_csv(bigint) OWNER TO feeds_owner;
REVOKE ALL ON FUNCTION dba.load_errors_csv(bigint) FROM PUBLIC;
GRANT EXECUTE ON FUNCTION dba.load_errors_csv(bigint) TO feeds_etl, feeds_reader;
COMMENT ON FUNCTION dba.load_errors_csv(bigint) IS
'The rejected rows of one load as RFC 4180 CSV with a header line (line, column, value, rule, message, raw_line), for a spreadsheet: a value starting with =, +, -, @, tab or CR gets a leading apostrophe. Raises FD001 when the load does not exist.';
