-- Deploy feeds:function_dba__timestamp_sql to pg
-- Generated from db/functions/dba._timestamp_sql.sql by bin/sync-functions: edit that file, not this one.
BEGIN;

-- dba._timestamp_sql: the SQL expression that parses a value in a fixed format, once per file.
CREATE OR REPLACE FUNCTION dba._timestamp_sql(p_value_sql text, p_format text, p_direct_type text DEFAULT NULL)
RETURNS text
LANGUAGE plpgsql
IMMUTABLE
SET search_path = pg_catalog, pg_temp
AS $function$
/*
   SELECT dba._timestamp_sql('s.v5', 'DD/MM/YYYY HH24:MI');
   Returns an expression over p_value_sql that yields the timestamp, or NULL when the value is not
   exactly in the format or not a real calendar date/time; it never raises. Fixed-width formats
   (YYYY MM DD HH24 MI SS and literal characters, or ISO) become a shape check with "~" and
   substr() arithmetic, about a microsecond a row; capture-group regexes cost ~70 µs a row.
   Formats with AM/PM or HH12 fall back to dba._to_timestamp().

   SELECT dba._timestamp_sql('s.v5', 'DD/MM/YYYY', 'date');
   With p_direct_type ('date' or 'timestamp'), for the direct path of dba._process_load():
   the value rewritten as PostgreSQL's own ISO text ('YYYY-MM-DD' or 'YYYY-MM-DD HH24:MI:SS'),
   NULL when it is not in the format's shape. The caller casts it and keeps the value only when
   the cast prints back exactly that text, which also proves it is a real date and time. Returns
   NULL (no direct expression) for AM/PM formats and for a date column with a time format.
*/
DECLARE
    v_fmt  text := coalesce(nullif(p_format, ''), 'ISO');
    v_re   text := '';
    v_pos  integer := 1;
    v_i    integer := 1;
    v_tok  text;
    v_part jsonb := '{}';
    v_like text := '';
    v_y text; v_mo text; v_d text; v_h text := '0'; v_mi text := '0'; v_s text := '0';
BEGIN
    IF p_direct_type IS NOT NULL AND upper(v_fmt) = 'ISO' THEN
        -- ISO values are already in the canonical form, or the round trip fails.
        RETURN p_value_sql;
    ELSIF p_direct_type IS NOT NULL AND v_fmt ~* '(AM|PM|HH12|HH(?!24))' THEN
        RETURN NULL;
    ELSIF upper(v_fmt) = 'ISO' THEN
        v_re := '^[0-9]{4}-[0-9]{2}-[0-9]{2}([T ][0-9]{2}:[0-9]{2}(:[0-9]{2}(\.[0-9]{1,6})?)?)?$';
        v_y := format('substr(%s, 1, 4)::int', p_value_sql);
        v_mo := format('substr(%s, 6, 2)::int', p_value_sql);
        v_d := format('substr(%s, 9, 2)::int', p_value_sql);
        v_h := format('coalesce(nullif(substr(%s, 12, 2), '''')::int, 0)', p_value_sql);
        v_mi := format('coalesce(nullif(substr(%s, 15, 2), '''')::int, 0)', p_value_sql);
        v_s := format('coalesce(nullif(substr(%s, 18), '''')::numeric, 0)', p_value_sql);
    ELSIF v_fmt ~* '(AM|PM|HH12|HH(?!24))' THEN
        RETURN format('dba._to_timestamp(%s, %L)', p_value_sql, v_fmt);
    ELSE
        WHILE v_i <= length(v_fmt) LOOP
            v_tok := CASE WHEN substr(v_fmt, v_i, 4) IN ('YYYY', 'HH24') THEN substr(v_fmt, v_i, 4)
                          WHEN substr(v_fmt, v_i, 2) IN ('MM', 'DD', 'MI', 'SS') THEN substr(v_fmt, v_i, 2) END;
            IF v_tok IS NULL THEN
                v_re := v_re || regexp_replace(substr(v_fmt, v_i, 1), '([^[:alnum:] ])', '\\\1');
                v_like := v_like || regexp_replace(substr(v_fmt, v_i, 1), '([%_\\])', '\\\1');
                v_i := v_i + 1;
                v_pos := v_pos + 1;
            ELSE
                v_re := v_re || CASE WHEN v_tok = 'YYYY' THEN '[0-9]{4}' ELSE '[0-9]{2}' END;
                v_like := v_like || CASE WHEN v_tok = 'YYYY' THEN '____' ELSE '__' END;
                v_part := v_part || jsonb_build_object(v_tok, format('substr(%s, %s, %s)', p_value_sql, v_pos,
                                                                     CASE WHEN v_tok = 'YYYY' THEN 4 ELSE 2 END));
                v_pos := v_pos + CASE WHEN v_tok = 'YYYY' THEN 4 ELSE 2 END;
                v_i := v_i + length(v_tok);
            END IF;
        END LOOP;
        IF NOT (v_part ?& ARRAY['YYYY', 'MM', 'DD']) THEN
            RAISE EXCEPTION 'date format % needs YYYY, MM and DD', quote_literal(v_fmt) USING ERRCODE = 'FD010';
        END IF;
        IF p_direct_type = 'date' AND v_part ?| ARRAY['HH24', 'MI', 'SS'] THEN
            RETURN NULL;
        ELSIF p_direct_type IS NOT NULL THEN
            RETURN format('CASE WHEN %s LIKE %L THEN %s END', p_value_sql, v_like,
                          concat_ws(' || ', v_part ->> 'YYYY', '''-''', v_part ->> 'MM', '''-''', v_part ->> 'DD',
                                    CASE WHEN p_direct_type = 'timestamp' THEN
                                         concat_ws(' || ', ''' ''', coalesce(v_part ->> 'HH24', '''00'''), ''':''',
                                                   coalesce(v_part ->> 'MI', '''00'''), ''':''', coalesce(v_part ->> 'SS', '''00''')) END));
        END IF;
        v_re := '^' || v_re || '$';
        v_y := (v_part ->> 'YYYY') || '::int'; v_mo := (v_part ->> 'MM') || '::int'; v_d := (v_part ->> 'DD') || '::int';
        v_h := coalesce((v_part ->> 'HH24') || '::int', '0'); v_mi := coalesce((v_part ->> 'MI') || '::int', '0');
        v_s := coalesce((v_part ->> 'SS') || '::int', '0');
    END IF;
    -- A real date and time (dba._real_datetime_sql: without make_date(), it never raises).
    RETURN format('CASE WHEN %s ~ %L THEN CASE WHEN %s THEN make_timestamp(%s, %s, %s, %s, %s, (%s)::double precision) END END',
                  p_value_sql, v_re, dba._real_datetime_sql(v_y, v_mo, v_d, v_h, v_mi, v_s), v_y, v_mo, v_d, v_h, v_mi, v_s);
END
$function$;

ALTER FUNCTION dba._timestamp_sql(text, text, text) OWNER TO feeds_owner;
REVOKE ALL ON FUNCTION dba._timestamp_sql(text, text, text) FROM PUBLIC;
COMMENT ON FUNCTION dba._timestamp_sql(text, text, text) IS
'Internal: builds, once per file and column, a never-raising SQL expression that parses a value in a fixed date/time format (or ISO) into a timestamp, NULL when invalid; with p_direct_type (date or timestamp), the expression that rewrites a value as ISO text for the direct path, or NULL when the format has no such expression. Raises FD010 for a format without YYYY, MM and DD.';

COMMIT;
