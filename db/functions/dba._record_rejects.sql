-- dba._record_rejects: the validate step's output: one dba.tloaderror row per broken rule of each row.
CREATE OR REPLACE FUNCTION dba._record_rejects(p_load_id bigint, p_file_name text, p_rows regclass, p_fields integer,
                                               p_checks text[], p_flags text[])
RETURNS bigint
LANGUAGE plpgsql
SET search_path = pg_catalog, pg_temp
AS $function$
/*
   Internal; part of dba._validate_rows(), after it built the work table p_rows
   (stage.load_<id>_v: line_no, raw, nf, v<k>, t<k>, e_syntax, e_count and one flag per check):
     SELECT dba._record_rejects(42, 'a.csv', 'stage.load_42_v', 7,
                                '{"(''id'', c.v1, ''required'', ''a value is required'', c.e1_1)"}', '{e1_1}');
   p_checks holds one SQL row (column, raw value, rule, message, failed) per check over the row
   c; p_flags names the flag columns. Only rows with a failure are expanded. The message names
   file, line, column and value. Returns the rows recorded.
*/
DECLARE
    v_n bigint;
BEGIN
    EXECUTE format($q$
        INSERT INTO dba.tloaderror (load_id, line_no, column_name, raw_value, rule, message, raw_line)
        SELECT $1, c.line_no, x.col, x.val, x.rule,
               format('%%s line %%s%%s: %%s', $2, c.line_no,
                      CASE WHEN x.col IS NOT NULL THEN format(' column %%s', quote_ident(x.col)) ELSE '' END,
                      CASE WHEN x.val IS NOT NULL THEN quote_literal(x.val) || ' is ' ELSE '' END || x.msg),
               c.raw
          FROM %1$s c
         CROSS JOIN LATERAL (VALUES
               (NULL::text, NULL::text, 'csv_syntax',
                'the line is not valid delimited text (a stray quote, or a quoted field never closed)', c.e_syntax),
               (NULL, NULL, 'field_count', format('the line has %%s fields, expected %%s', c.nf, %2$s), c.e_count)%3$s
         ) x(col, val, rule, msg, failed)
         WHERE (c.e_syntax OR c.e_count%4$s) AND x.failed
        $q$, p_rows, p_fields, coalesce(', ' || nullif(array_to_string(p_checks, ', '), ''), ''),
        (SELECT string_agg(' OR c.' || quote_ident(f), '') FROM unnest(p_flags) f))
    USING p_load_id, p_file_name;
    GET DIAGNOSTICS v_n = ROW_COUNT;
    RETURN v_n;
END
$function$;

ALTER FUNCTION dba._record_rejects(bigint, text, regclass, integer, text[], text[]) OWNER TO feeds_owner;
REVOKE ALL ON FUNCTION dba._record_rejects(bigint, text, regclass, integer, text[], text[]) FROM PUBLIC;
COMMENT ON FUNCTION dba._record_rejects(bigint, text, regclass, integer, text[], text[]) IS
'Internal: from a load''s work table of validated rows, records one dba.tloaderror row per broken rule (csv_syntax, field_count and each check of the plan) with line, column, raw value, rule, a message naming file, line and column, and the raw line; returns the count. Never raises for a work table built by dba._validate_rows.';
