-- dba._fields_sql: a load's records as fields, rendered from the plan and the source.
CREATE OR REPLACE FUNCTION dba._fields_sql(p_load_id bigint, p_cfg dba.timportconfig, p_plan dba.load_plan,
                                           p_src dba.load_source, OUT sql text, OUT field_tpl text)
LANGUAGE plpgsql
SET search_path = pg_catalog, pg_temp
AS $function$
/*
   Internal; part of dba._rows_sql(), once the plan is compiled (it gives the number of fields):
     SELECT f.sql, f.field_tpl FROM dba._fields_sql(42, cfg, plan, src) f;
   sql is a subquery with one row per record after the header, field_tpl a format() template of
   field %s of that row:
   - direct path: creates the foreign table stage.load_<id>_f (c1…cN text; file_fdw, COPY's
     parser, streamed); rows (line_no, c1…cN), field s.c<n>. An empty field, quoted or not, is an
     empty string (force_not_null), as staging reads it; with quoted_empty empty_string, COPY's
     own reading: unquoted empty NULL, "" ''. line_no counts the records after the header line.
   - staged: rows (line_no, raw, f), field s.f[<n>], f NULL for a line that is not valid
     delimited text. Lines without a quote are split by string_to_array (C speed); quoted lines
     that are well formed with the expected number of fields (counted with the quoted parts
     taken out) are read with record_in into the type stage.load_<id>_r, which this creates
     unless it exists (see dba.load_source); any other line goes through dba._split_line(), which reports it.
   OFFSET 0 keeps the planner from flattening the subquery: each line is split once.
*/
DECLARE
    v_en  boolean := p_cfg.quoted_empty = 'empty_string';
    v_sa  text := format('string_to_array(raw, %L%s)', p_cfg.delimiter, CASE WHEN v_en THEN ', ''''' ELSE '' END);
    v_sl  text := format('dba._split_line(raw, %L, %L%s)', p_cfg.delimiter, p_cfg.quote_char, CASE WHEN v_en THEN ', true' ELSE '' END);
    v_n   integer := p_plan.n_fields;
    v_rc  text := CASE WHEN v_en THEN '(r).c%s' ELSE 'coalesce((r).c%s, '''')' END;
    v_q   text := regexp_replace(p_cfg.quote_char, '([^[:alnum:]])', '\\\1');
    v_typ text := format('stage.%I', 'load_' || p_load_id || '_r');
BEGIN
    IF p_src.relation IS NULL THEN
        EXECUTE format('CREATE FOREIGN TABLE stage.%I (%s) SERVER feeds_files
                        OPTIONS (filename %L, format ''csv'', header %L, delimiter %L, quote %L, encoding %L)',
                       'load_' || p_load_id || '_f',
                       (SELECT string_agg(format('c%s text%s', n, CASE WHEN NOT v_en THEN ' OPTIONS (force_not_null ''true'')' END), ', ')
                          FROM generate_series(1, v_n) n),
                       p_src.path, p_cfg.has_header::text, p_cfg.delimiter, p_cfg.quote_char, p_cfg.encoding);
        sql := format('(SELECT row_number() OVER () + %s AS line_no, s.* FROM stage.%I s)', p_src.header_line, 'load_' || p_load_id || '_f');
        field_tpl := 's.c%s';
        RETURN;
    END IF;
    field_tpl := 's.f[%s]';
    -- A composite type has at most 1600 columns: wider lines are split by dba._split_line().
    IF NOT p_src.record_in OR v_n > 1600 THEN
        sql := format('(SELECT line_no, raw, CASE WHEN strpos(raw, %L) = 0 THEN %s ELSE %s END AS f FROM %s
                         WHERE line_no > %s AND raw IS NOT NULL OFFSET 0)',
                      p_cfg.quote_char, v_sa, v_sl, p_src.relation, p_src.header_line);
        RETURN;
    END IF;
    IF to_regtype(v_typ) IS NULL THEN
        EXECUTE format('CREATE TYPE %s AS (%s)', v_typ, (SELECT string_agg(format('c%s text', n), ', ') FROM generate_series(1, v_n) n));
    END IF;
    IF p_src.swap[1] IS NOT NULL THEN
        v_rc := format('translate(%s, %L, %L)', v_rc, p_src.swap[1], p_src.swap[2]);
    END IF;
    sql := format($s$(SELECT line_no, raw, CASE WHEN strpos(raw, %1$L) = 0 THEN %2$s WHEN NOT (r IS NULL) THEN ARRAY[%3$s] ELSE %4$s END AS f
                        FROM (SELECT line_no, raw,
                                     CASE WHEN strpos(raw, %1$L) > 0 AND raw ~ %5$L
                                           AND cardinality(string_to_array(regexp_replace(raw, %6$L, '', 'g'), %7$L)) = %8$s
                                          THEN ('(' || replace(replace(replace(%9$s, '\', '\\'), '(', '\('), ')', '\)') || ')')::%10$s END AS r
                                FROM %11$s WHERE line_no > %12$s AND raw IS NOT NULL OFFSET 0) s OFFSET 0)$s$,
                  p_cfg.quote_char, v_sa, (SELECT string_agg(format(v_rc, n), ', ') FROM generate_series(1, v_n) n), v_sl,
                  dba._csv_line_regex(p_cfg.delimiter, p_cfg.quote_char), format('%1$s(?:[^%1$s]|%1$s%1$s)*%1$s', v_q),
                  p_cfg.delimiter, v_n,
                  CASE WHEN p_src.swap[1] IS NULL THEN 'raw' ELSE format('translate(raw, %L, %L)', p_src.swap[1], p_src.swap[2]) END,
                  v_typ, p_src.relation, p_src.header_line);
END
$function$;

ALTER FUNCTION dba._fields_sql(bigint, dba.timportconfig, dba.load_plan, dba.load_source) OWNER TO feeds_owner;
REVOKE ALL ON FUNCTION dba._fields_sql(bigint, dba.timportconfig, dba.load_plan, dba.load_source) FROM PUBLIC;
COMMENT ON FUNCTION dba._fields_sql(bigint, dba.timportconfig, dba.load_plan, dba.load_source) IS
'Internal: renders the subquery that gives a load''s records as fields (the direct path''s foreign table stage.load_<id>_f, or the staged lines split by string_to_array, record_in into stage.load_<id>_r, or dba._split_line), creating the foreign table or record type it reads; field_tpl is the format() template of one field. Raises what creating them raises.';
