-- Deploy feeds:function_dba__strict_line_sql to pg
-- Generated from db/functions/dba._strict_line_sql.sql by bin/sync-functions: edit that file, not this one.
BEGIN;

-- dba._strict_line_sql: the condition that a line with a quote is strict RFC 4180, cheaper than the regex for most lines.
-- requires: function_dba__csv_line_regex
CREATE OR REPLACE FUNCTION dba._strict_line_sql(p_delimiter text, p_quote text)
RETURNS text
LANGUAGE plpgsql
IMMUTABLE
SET search_path = pg_catalog, pg_temp
AS $function$
/*
   Internal; for dba._strict_csv(), over a row s with the line s.raw and its parts split at the
   quote character, s.a = string_to_array(s.raw, <quote>):
     SELECT dba._strict_line_sql(',', '"');
       -- CASE cardinality(s.a) WHEN 3 THEN (s.a[1] = '' OR s.a[1] LIKE '%,') AND (…) … ELSE s.raw ~ '…' END
   True exactly when the line matches dba._csv_line_regex: the parts outside quotes are the odd
   ones; the first must be empty or end with the delimiter (a quoted field starts a field), the
   last empty or start with it (a quoted field ends one), and each one between empty (a doubled
   quote inside a field) or both. string_to_array and LIKE read bytes; the regex costs about
   three times as much on a line of the bench file. Lines with more than four quoted fields or
   doubled quotes, and a delimiter or quote longer than one character, are left to the regex.
*/
DECLARE
    v_d     text := CASE WHEN p_delimiter IN ('%', '_', '\') THEN '\' ELSE '' END || p_delimiter;
    v_first text := format('(s.a[1] = '''' OR s.a[1] LIKE %L)', '%' || v_d);
    v_when  text := '';
    v_mid   text := '';
    v_n     integer;
BEGIN
    IF length(p_delimiter) <> 1 OR length(p_quote) <> 1 THEN
        RETURN format('s.raw ~ %L', dba._csv_line_regex(p_delimiter, p_quote));
    END IF;
    FOR v_n IN 3..9 BY 2 LOOP
        v_when := v_when || format(' WHEN %s THEN %s%s AND (s.a[%s] = '''' OR s.a[%s] LIKE %L)', v_n, v_first, v_mid, v_n, v_n, v_d || '%');
        v_mid := v_mid || format(' AND (s.a[%1$s] = '''' OR (s.a[%1$s] LIKE %2$L AND s.a[%1$s] LIKE %3$L))', v_n, v_d || '%', '%' || v_d);
    END LOOP;
    RETURN format('CASE cardinality(s.a)%s ELSE s.raw ~ %L END', v_when, dba._csv_line_regex(p_delimiter, p_quote));
END
$function$;

ALTER FUNCTION dba._strict_line_sql(text, text) OWNER TO feeds_owner;
REVOKE ALL ON FUNCTION dba._strict_line_sql(text, text) FROM PUBLIC;
COMMENT ON FUNCTION dba._strict_line_sql(text, text) IS
'Internal: the SQL condition, over s.raw and its parts split at the quote character (s.a), that a line is well-formed RFC 4180 delimited text: true exactly when it matches dba._csv_line_regex, by LIKE tests of the parts outside quotes for lines with up to four quoted parts, by the regex otherwise. Never raises.';

COMMIT;
