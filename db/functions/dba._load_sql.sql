-- dba._load_sql: the SELECT of the rows to load, and its columns, rendered from the plan.
CREATE OR REPLACE FUNCTION dba._load_sql(p_load_id bigint, p_cfg dba.timportconfig, p_plan dba.load_plan,
                                         p_rows text, p_fast boolean, OUT src text, OUT columns text[])
LANGUAGE plpgsql
STABLE
SET search_path = pg_catalog, pg_temp
AS $function$
/*
   Internal; what dba._load_rows() gets from both ways, over p_rows (dba._rows_sql() on the
   fast ways, the work table stage.load_<id>_v s after dba._validate_rows()):
     SELECT l.src, l.columns FROM dba._load_sql(42, cfg, plan, 'stage.load_42_v s', false) l;
   columns: the plan's targets, load_id, and line_no when the target takes it; src selects them
   as s.t<k>…, the load id, s.line_no.
   - fast ways: the rows for which every check the fast ways make holds (the exact print-back
     and each rule); any other row is set aside (dba._set_aside) and not loaded, and the
     statement goes on (dba._reject_set_aside validates those rows afterwards).
   - full validation: the rows with no check's flag set, not rejected as a duplicate key;
     with key columns and the policy first_wins or last_wins, one row per key, the first or
     last by line.
*/
DECLARE
    v_keys  text := (SELECT string_agg(format('s.t%s', c.k), ', ' ORDER BY c.k) FROM unnest(p_plan.columns) c WHERE c.is_key);
    v_keep  text;
    v_first text := '';
    v_order text := '';
BEGIN
    IF p_fast THEN
        SELECT format('CASE WHEN %s THEN true ELSE dba._set_aside(%s, s.line_no) END',
                      coalesce(string_agg(x.c, ' AND ' ORDER BY x.o, x.k, x.j), 'true'), p_load_id)
          INTO v_keep
          FROM (SELECT 1 AS o, c.k, 0::bigint AS j, c.fast_check AS c FROM unnest(p_plan.columns) c WHERE c.fast_check IS NOT NULL
                UNION ALL
                SELECT 2, c.k, ch.j, format('NOT coalesce(%s, false)', ch.cond)
                  FROM unnest(p_plan.columns) c, unnest(c.checks) WITH ORDINALITY ch(rule, message, cond, fast, flag, j)
                 WHERE ch.fast) x;
    ELSE
        SELECT format('NOT (s.e_syntax OR s.e_count%s)', coalesce(string_agg(format(' OR s.%I', ch.flag), '' ORDER BY c.k, ch.j), ''))
          INTO v_keep
          FROM unnest(p_plan.columns) c, unnest(c.checks) WITH ORDINALITY ch(rule, message, cond, fast, flag, j);
        IF v_keys IS NOT NULL AND p_cfg.duplicate_key_policy = 'reject' THEN
            v_keep := v_keep || format(' AND NOT EXISTS (SELECT 1 FROM dba.tloaderror e WHERE e.load_id = %s AND e.line_no = s.line_no)',
                                       p_load_id);
        ELSIF v_keys IS NOT NULL THEN
            v_first := format('DISTINCT ON (%s) ', v_keys);
            v_order := format(' ORDER BY %s, s.line_no %s', v_keys,
                              CASE p_cfg.duplicate_key_policy WHEN 'last_wins' THEN 'DESC' ELSE 'ASC' END);
        END IF;
    END IF;
    SELECT format('SELECT %s%s, %s::bigint%s FROM %s WHERE %s%s', v_first, string_agg(format('s.t%s', c.k), ', ' ORDER BY c.k),
                  p_load_id, CASE WHEN p_plan.has_line THEN ', s.line_no' ELSE '' END, p_rows, v_keep, v_order),
           array_agg(c.target ORDER BY c.k) || ARRAY['load_id'] || CASE WHEN p_plan.has_line THEN ARRAY['line_no'] ELSE '{}' END
      INTO src, columns
      FROM unnest(p_plan.columns) c;
END
$function$;

ALTER FUNCTION dba._load_sql(bigint, dba.timportconfig, dba.load_plan, text, boolean) OWNER TO feeds_owner;
REVOKE ALL ON FUNCTION dba._load_sql(bigint, dba.timportconfig, dba.load_plan, text, boolean) FROM PUBLIC;
COMMENT ON FUNCTION dba._load_sql(bigint, dba.timportconfig, dba.load_plan, text, boolean) IS
'Internal: renders the SELECT of the rows a load inserts (src) and the target columns it fills (columns) for dba._load_rows: on the fast ways the rows that pass the fast checks (the others set aside); after full validation the valid rows, one per key by the duplicate-key policy. Never raises.';
