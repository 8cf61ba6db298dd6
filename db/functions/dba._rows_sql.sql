-- dba._rows_sql: a load's rows as values and typed values, rendered from the plan.
CREATE OR REPLACE FUNCTION dba._rows_sql(p_load_id bigint, p_cfg dba.timportconfig, p_plan dba.load_plan,
                                         p_src dba.load_source, p_fast boolean)
RETURNS text
LANGUAGE plpgsql
SET search_path = pg_catalog, pg_temp
AS $function$
/*
   Internal; the read step of both ways: dba._validate_rows() (p_fast false) and
   dba._load_fast_way() (p_fast true) select from what it returns:
     SELECT dba._rows_sql(42, cfg, plan, src, true);   -- '(SELECT s.*, s.v1::integer AS t1 … ) s'
   A subquery s over the records (dba._fields_sql) with, per plan column k, its value s.v<k>
   and typed value s.t<k>, each computed once per row (OFFSET 0 keeps the layers apart):
   - full validation: (line_no, raw, f, v<k>…, t<k>…); the typed value never raises, NULL when
     the value is not of the type (dba.plan_column.typed_sql);
   - fast ways: (line_no, v<k>…, i<k>…, t<k>…), the plan's fast templates: text trimmed only,
     i<k> of a date in another format (its digits as one number, or its ISO text), a plain
     cast that raises on nonsense. A staged line that is not valid delimited text or has the
     wrong number of fields is set aside (dba._set_aside) and not loaded; on the direct path
     COPY refuses such a line itself.
*/
DECLARE
    v_fields record := dba._fields_sql(p_load_id, p_cfg, p_plan, p_src);
    v_vals   text;
    v_typed  text;
    v_iso    text;
    v_inner  text;
BEGIN
    SELECT string_agg(format('%s AS v%s', format(CASE WHEN p_fast THEN c.fast_value_tpl ELSE c.value_tpl END,
                                                 format(v_fields.field_tpl, c.field)), c.k), ', ' ORDER BY c.k),
           string_agg(format('%s AS t%s', CASE WHEN p_fast THEN c.fast_typed_sql ELSE c.typed_sql END, c.k), ', ' ORDER BY c.k),
           string_agg(format('%s AS i%s', c.fast_iso_sql, c.k), ', ' ORDER BY c.k) FILTER (WHERE c.fast_iso_sql IS NOT NULL)
      INTO v_vals, v_typed, v_iso
      FROM unnest(p_plan.columns) c;
    IF NOT p_fast THEN
        RETURN format('(SELECT s.*, %s FROM (SELECT s.line_no, s.raw, s.f, %s FROM %s s OFFSET 0) s OFFSET 0) s',
                      v_typed, v_vals, v_fields.sql);
    END IF;
    v_inner := format('(SELECT s.line_no, %s FROM %s s%s OFFSET 0) s', v_vals, v_fields.sql,
                      CASE WHEN p_src.relation IS NOT NULL
                           THEN format(' WHERE CASE WHEN coalesce(cardinality(s.f) %s %s, false) THEN true ELSE dba._set_aside(%s, s.line_no) END',
                                       p_plan.count_op, p_plan.n_fields, p_load_id) ELSE '' END);
    IF v_iso IS NOT NULL THEN
        v_inner := format('(SELECT s.*, %s FROM %s OFFSET 0) s', v_iso, v_inner);
    END IF;
    RETURN format('(SELECT s.*, %s FROM %s OFFSET 0) s', v_typed, v_inner);
END
$function$;

ALTER FUNCTION dba._rows_sql(bigint, dba.timportconfig, dba.load_plan, dba.load_source, boolean) OWNER TO feeds_owner;
REVOKE ALL ON FUNCTION dba._rows_sql(bigint, dba.timportconfig, dba.load_plan, dba.load_source, boolean) FROM PUBLIC;
COMMENT ON FUNCTION dba._rows_sql(bigint, dba.timportconfig, dba.load_plan, dba.load_source, boolean) IS
'Internal: renders the subquery of a load''s rows with each plan column''s value (v<k>) and typed value (t<k>): full validation''s, which never raise, or the fast ways'' exact casts (p_fast). Creates what dba._fields_sql creates; raises what that raises.';
