-- dba._date_code_sql: the fast ways' reading of a date in a fixed format: its digits as one number, then the date.
-- requires: schema_dba
CREATE OR REPLACE FUNCTION dba._date_code_sql(p_value_sql text, p_code_sql text, p_format text, p_type text,
                                              OUT code_sql text, OUT typed_sql text)
LANGUAGE plpgsql
IMMUTABLE
SET search_path = pg_catalog, pg_temp
AS $function$
/*
   Internal; part of dba._plan_column() for a date or timestamp column in a fixed format:
     SELECT * FROM dba._date_code_sql('s.v7', 's.i7', 'DD/MM/YYYY', 'date');
       -- CASE WHEN s.v7 LIKE '__/__/____' THEN ('1' || replace(s.v7, '/', ''))::bigint END
       -- CASE WHEN s.i7 BETWEEN 100000000 AND 199999999 AND … THEN make_date(…) END
   code_sql is the value's digits, the literal characters of the format taken out, behind a 1:
   exactly as many digits as the format has prove that every digit place holds a digit (it
   raises, as the cast of an ISO rewrite does, on another character there). typed_sql is the
   date or timestamp from that number (p_code_sql), NULL when the number has another count of
   digits or is not a real date and time by full validation's own test (dba._timestamp_sql), so
   it never raises. The ISO rewrite (substr, ||), its cast and print-back cost half as much again.
   Both NULL when the format does not allow it (ISO, AM/PM, a digit or a space at either end
   among its literals, a part twice, a date column with a time): the caller keeps the ISO rewrite.
*/
DECLARE
    v_tok   text;
    v_w     integer;
    v_like  text := '';
    v_lits  text := '';
    v_at    jsonb := '{}';   -- part -> digits before it
    v_n     integer := 0;
    v_part  jsonb := '{}';   -- part -> its SQL over p_code_sql
    v_y text; v_mo text; v_d text; v_h text; v_mi text; v_s text;
BEGIN
    IF upper(p_format) = 'ISO' OR p_format ~* '(AM|PM|HH12|HH(?!24))' OR p_format ~ '^ | $' THEN
        RETURN;
    END IF;
    FOR v_tok IN SELECT m[1] FROM regexp_matches(p_format, '(YYYY|HH24|MM|DD|MI|SS|.)', 'g') m LOOP
        v_w := CASE WHEN v_tok = 'YYYY' THEN 4 WHEN v_tok IN ('HH24', 'MM', 'DD', 'MI', 'SS') THEN 2 END;
        IF v_w IS NULL AND v_tok ~ '[0-9]' OR v_at ? v_tok THEN
            RETURN;
        ELSIF v_w IS NULL THEN
            v_like := v_like || CASE WHEN v_tok IN ('%', '_', '\') THEN '\' ELSE '' END || v_tok;
            v_lits := v_lits || CASE WHEN strpos(v_lits, v_tok) = 0 THEN v_tok ELSE '' END;
        ELSE
            v_at := v_at || jsonb_build_object(v_tok, v_n);
            v_like := v_like || repeat('_', v_w);
            v_n := v_n + v_w;
        END IF;
    END LOOP;
    IF NOT v_at ?& ARRAY['YYYY', 'MM', 'DD'] OR (p_type = 'date' AND v_at ?| ARRAY['HH24', 'MI', 'SS']) THEN
        RETURN;
    END IF;
    -- A part of width w after o digits: (code / 10^(n - o - w)) % 10^w.
    SELECT jsonb_object_agg(a.key, format('(%s / %s %% %s)::int', p_code_sql, (10::numeric ^ (v_n - a.value::int - w.w))::bigint,
                                          (10::numeric ^ w.w)::bigint))
      INTO v_part
      FROM jsonb_each_text(v_at) a CROSS JOIN LATERAL (SELECT CASE WHEN a.key = 'YYYY' THEN 4 ELSE 2 END AS w) w;
    v_y := v_part ->> 'YYYY'; v_mo := v_part ->> 'MM'; v_d := v_part ->> 'DD';
    v_h := coalesce(v_part ->> 'HH24', '0'); v_mi := coalesce(v_part ->> 'MI', '0'); v_s := coalesce(v_part ->> 'SS', '0');
    -- replace() finds bytes; translate() walks characters, twice the cost here.
    code_sql := p_value_sql;
    FOR v_tok IN SELECT x FROM regexp_split_to_table(v_lits, '') x WHERE x <> '' LOOP
        code_sql := format('replace(%s, %L, '''')', code_sql, v_tok);
    END LOOP;
    code_sql := format('CASE WHEN %s LIKE %L THEN (''1'' || %s)::bigint END', p_value_sql, v_like, code_sql);
    -- Full validation's test of a real date and time (dba._timestamp_sql), over the parts.
    typed_sql := format('CASE WHEN %s BETWEEN %s AND %s AND %s THEN %s END',
                        p_code_sql, (10::numeric ^ v_n)::bigint, (2 * 10::numeric ^ v_n)::bigint - 1,
                        dba._real_datetime_sql(v_y, v_mo, v_d, v_h, v_mi, v_s),
                        CASE WHEN p_type = 'date' THEN format('make_date(%s, %s, %s)', v_y, v_mo, v_d)
                             ELSE format('make_timestamp(%s, %s, %s, %s, %s, %s)', v_y, v_mo, v_d, v_h, v_mi, v_s) END);
END
$function$;

ALTER FUNCTION dba._date_code_sql(text, text, text, text) OWNER TO feeds_owner;
REVOKE ALL ON FUNCTION dba._date_code_sql(text, text, text, text) FROM PUBLIC;
COMMENT ON FUNCTION dba._date_code_sql(text, text, text, text) IS
'Internal: for the fast ways, the SQL that reads a date or timestamp value in a fixed format as one number of its digits (code_sql; raises on a non-digit in a digit place) and the never-raising SQL of the date or timestamp from that number (typed_sql, NULL when not a real one); both NULL when the format does not allow it. Never raises.';
