-- dba._plan_column: one column-map entry compiled into a plan column.
CREATE OR REPLACE FUNCTION dba._plan_column(p_cfg dba.timportconfig, p_entry jsonb, p_k integer, p_field integer,
                                            p_label text, p_file_name text, p_target regclass)
RETURNS dba.plan_column
LANGUAGE plpgsql
STABLE
SET search_path = pg_catalog, pg_temp
AS $function$
/*
   Internal; part of dba._compile_plan(), which finds p_field (the entry's position in the line,
   NULL for a value taken from the file name) and p_label (its header name):
     SELECT dba._plan_column(c, '{"target":"qty","type":"integer"}', 2, 2, 'qty', 'f.csv', 'eng_fx.events')
       FROM dba.timportconfig c WHERE job_name = 'x';
   The value is s.v<k>, its typed value s.t<k> (the fast ways: s.i<k>, a date's ISO rewrite). The typed value never raises (NULL when the
   value is not of the type); the fast ways' typed value is a plain cast that must print back as
   the value (a date in a fixed format: read from its digits, dba._date_code_sql(); else its ISO
   rewrite by dba._timestamp_sql()). Text is trimmed only when it starts or ends with a space.
*/
DECLARE
    v_type  text := coalesce(p_entry ->> 'type', 'text');
    v_fmt   text := coalesce(p_entry ->> 'format', 'ISO');
    v_trim  boolean := coalesce((p_entry ->> 'trim')::boolean, true);
    v_val   text := 's.v' || p_k;
    v_wrap  text;
    v_btrim text := 'CASE WHEN strpos(%1$s, '' '') = 0 THEN %1$s WHEN %1$s LIKE '' %%'' OR %1$s LIKE ''%% '' THEN btrim(%1$s) ELSE %1$s END';
    v_col   dba.plan_column;
    v_att   pg_attribute;
    v_code  record;
BEGIN
    -- The job's null markers make a value NULL: %1$s is the value's expression.
    v_wrap := CASE cardinality(p_cfg.null_markers)
                   WHEN 0 THEN '%1$s'
                   WHEN 1 THEN format('nullif(%%1$s, %s)', replace(quote_literal(p_cfg.null_markers[1]), '%', '%%'))
                   ELSE format('CASE WHEN %%1$s = ANY (%s::text[]) THEN NULL ELSE %%1$s END',
                               replace(quote_literal(p_cfg.null_markers), '%', '%%')) END;
    v_col.k := p_k; v_col.target := p_entry ->> 'target'; v_col.field := p_field; v_col.job_type := v_type;
    v_col.label := coalesce(p_label, '(file name)');
    v_col.is_key := v_col.target = ANY (p_cfg.key_columns);
    IF p_field IS NULL THEN
        v_col.value_tpl := replace(format('%L::text', (regexp_match(p_file_name, p_entry ->> 'from_file_name'))[1]), '%', '%%');
        v_col.fast_value_tpl := v_col.value_tpl;
    ELSE
        -- Full validation trims every value; the fast ways only text (a number with spaces does
        -- not print back as itself, so its file goes to full validation, where trimming makes it valid).
        -- btrim() walks every character of a UTF-8 value: it runs only when the value starts or
        -- ends with a space (strpos and LIKE read bytes), which gives the same value.
        v_col.value_tpl := format(v_wrap, CASE WHEN v_trim THEN v_btrim ELSE '%1$s' END);
        v_col.fast_value_tpl := format(v_wrap, CASE WHEN v_trim AND v_type = 'text' THEN v_btrim ELSE '%1$s' END);
        -- quoted_empty empty_string: the parsers give NULL for an unquoted empty field and '' for
        -- a quoted one; '' stays the empty string, NULL is an empty field for the null markers.
        IF p_cfg.quoted_empty = 'empty_string' THEN
            v_col.value_tpl := format('CASE WHEN %%1$s = '''' THEN '''' ELSE %s END',
                                      replace(replace(v_col.value_tpl, '%', '%%'), '%%1$s', 'coalesce(%1$s, '''')'));
            v_col.fast_value_tpl := format('CASE WHEN %%1$s = '''' THEN '''' ELSE %s END',
                                           replace(replace(v_col.fast_value_tpl, '%', '%%'), '%%1$s', 'coalesce(%1$s, '''')'));
        END IF;
    END IF;
    v_col.typed_sql := CASE v_type
        WHEN 'text' THEN v_val
        WHEN 'integer' THEN format('CASE WHEN %1$s ~ ''^[+-]?[0-9]{1,10}$'' THEN CASE WHEN %1$s::numeric BETWEEN -2147483648 AND 2147483647 THEN %1$s::integer END END', v_val)
        WHEN 'bigint' THEN format('CASE WHEN %1$s ~ ''^[+-]?[0-9]{1,19}$'' THEN CASE WHEN %1$s::numeric BETWEEN -9223372036854775808 AND 9223372036854775807 THEN %1$s::bigint END END', v_val)
        WHEN 'numeric' THEN format('CASE WHEN %1$s ~ ''^[+-]?([0-9]+\.?[0-9]*|\.[0-9]+)([eE][+-]?[0-9]{1,3})?$'' THEN %1$s::numeric END', v_val)
        -- lower() of UTF-8 text is costly: a value already written as in the lists skips it.
        WHEN 'boolean' THEN format('CASE WHEN %1$s IN (%2$s) THEN true WHEN %1$s IN (%3$s) THEN false WHEN lower(%1$s) IN (%2$s) THEN true WHEN lower(%1$s) IN (%3$s) THEN false END',
                                   v_val, '''true'',''t'',''yes'',''y'',''1'',''si'',''sí'',''on''', '''false'',''f'',''no'',''n'',''0'',''off''')
        WHEN 'date' THEN format('(%s)::date', dba._timestamp_sql(v_val, v_fmt))
        WHEN 'timestamp' THEN dba._timestamp_sql(v_val, v_fmt) END;
    -- Fast ways: a plain cast of numbers and ISO dates (the cast raises on nonsense, so the type
    -- check is not repeated); other dates through their ISO rewrite; others as in full validation.
    v_col.fast_iso_sql := CASE WHEN v_type IN ('date', 'timestamp') THEN dba._timestamp_sql(v_val, v_fmt, v_type) END;
    IF v_type IN ('integer', 'bigint', 'numeric') OR v_col.fast_iso_sql = v_val THEN
        v_col.fast_iso_sql := NULL;
        v_col.fast_typed_sql := format('%s::%s', v_val, v_type);
        -- numeric_out prints NaN and ±Infinity as their names: those are not numbers here.
        v_col.fast_check := format('(%1$s IS NULL OR (s.t%2$s::text = %1$s%3$s))', v_val, p_k,
                                   CASE WHEN v_type = 'numeric' THEN format(' AND %s NOT IN (''NaN'', ''Infinity'', ''-Infinity'')', v_val) END);
    ELSIF v_type IN ('date', 'timestamp') AND v_col.fast_iso_sql IS NOT NULL THEN
        -- A fixed format: the value's digits as one number s.i<k>, the date from it, NULL when not
        -- a real one (the format check then sets the row aside). Else the ISO rewrite printed back.
        SELECT d.code_sql, d.typed_sql INTO v_code FROM dba._date_code_sql(v_val, 's.i' || p_k, v_fmt, v_type) d;
        v_col.fast_iso_sql := coalesce(v_code.code_sql, v_col.fast_iso_sql);
        v_col.fast_typed_sql := coalesce(v_code.typed_sql, format('s.i%1$s::%2$s', p_k, v_type));
        v_col.fast_check := CASE WHEN v_code.code_sql IS NULL THEN format('(s.t%1$s IS NULL OR s.t%1$s::text = s.i%1$s)', p_k) END;
    ELSIF v_type NOT IN ('date', 'timestamp') THEN
        v_col.fast_typed_sql := v_col.typed_sql;
    END IF;
    SELECT * INTO v_att FROM pg_attribute a WHERE a.attrelid = p_target AND a.attname = v_col.target AND NOT a.attisdropped;
    -- Each check's flag names its column in full validation's work table: e<k>_<j>, check j of column k.
    SELECT coalesce(array_agg((ch.rule, ch.message, ch.cond, ch.fast, format('e%s_%s', p_k, ch.j))::dba.plan_check ORDER BY ch.j), '{}')
      INTO v_col.checks
      FROM unnest(dba._column_checks(p_entry, v_val, 's.t' || p_k, v_col.fast_check IS NOT NULL AND v_col.fast_iso_sql IS NULL,
                                     v_att.atttypid::regtype, v_att.atttypmod)) WITH ORDINALITY ch(rule, message, cond, fast, flag, j);
    RETURN v_col;
END
$function$;

ALTER FUNCTION dba._plan_column(dba.timportconfig, jsonb, integer, integer, text, text, regclass) OWNER TO feeds_owner;
REVOKE ALL ON FUNCTION dba._plan_column(dba.timportconfig, jsonb, integer, integer, text, text, regclass) FROM PUBLIC;
COMMENT ON FUNCTION dba._plan_column(dba.timportconfig, jsonb, integer, integer, text, text, regclass) IS
'Internal: compiles one column-map entry into a dba.plan_column: value templates, typed value (never raises), the fast ways'' cast and print-back check or a date read from its digits (dba._date_code_sql; fast_typed_sql NULL: the fast ways cannot check this date format), and the checks (dba._column_checks). Never raises for a job the trigger accepted.';
