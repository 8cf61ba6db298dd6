-- dba._load_sql: the SELECT of the rows to load, and its columns, rendered from the plan.
CREATE OR REPLACE FUNCTION dba._load_sql(p_load_id bigint, p_cfg dba.timportconfig, p_plan dba.load_plan,
                                         p_rows text, p_fast boolean, OUT src text, OUT columns text[])
LANGUAGE sql
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
SELECT format('SELECT %s%s, %s%s FROM %s WHERE %s%s', o.distinct_on, string_agg(format('s.t%s', c.k), ', ' ORDER BY c.k), o.load_expr,
              CASE WHEN p_plan.has_line THEN ', s.line_no' ELSE '' END, p_rows, o.keep,
              CASE WHEN o.distinct_on <> '' THEN format(' ORDER BY %s, s.line_no %s', kc.keys,
                                                        CASE p_cfg.duplicate_key_policy WHEN 'last_wins' THEN 'DESC' ELSE 'ASC' END) ELSE '' END),
       array_agg(c.target ORDER BY c.k) || ARRAY['load_id'] || CASE WHEN p_plan.has_line THEN ARRAY['line_no'] ELSE '{}' END
  FROM unnest(p_plan.columns) c,
       LATERAL (SELECT (SELECT string_agg(format('s.t%s', x.k), ', ' ORDER BY x.k) FROM unnest(p_plan.columns) x WHERE x.is_key) AS keys) kc,
       LATERAL (SELECT CASE WHEN NOT p_fast AND kc.keys IS NOT NULL AND p_cfg.duplicate_key_policy <> 'reject'
                            THEN format('DISTINCT ON (%s) ', kc.keys) ELSE '' END AS distinct_on,
                       format('%s::bigint', p_load_id) AS load_expr,
                       CASE WHEN p_fast
                            THEN format('CASE WHEN %s THEN true ELSE dba._set_aside(%s, s.line_no) END',
                                        coalesce((SELECT string_agg(x.c, ' AND ')
                                                    FROM (SELECT y.fast_check AS c FROM unnest(p_plan.columns) y WHERE y.fast_check IS NOT NULL
                                                          UNION ALL
                                                          SELECT format('NOT coalesce(%s, false)', ch.cond)
                                                            FROM unnest(p_plan.columns) y, unnest(y.checks) ch WHERE ch.fast) x), 'true'),
                                        p_load_id)
                            ELSE format('NOT (s.e_syntax OR s.e_count%s)%s',
                                        (SELECT string_agg(format(' OR s.%I', ch.flag), '') FROM unnest(p_plan.columns) y, unnest(y.checks) ch),
                                        CASE WHEN kc.keys IS NOT NULL AND p_cfg.duplicate_key_policy = 'reject'
                                             THEN format(' AND NOT EXISTS (SELECT 1 FROM dba.tloaderror e WHERE e.load_id = %s AND e.line_no = s.line_no)',
                                                         p_load_id) END) END AS keep) o
 GROUP BY o.distinct_on, o.load_expr, o.keep, kc.keys
$function$;

ALTER FUNCTION dba._load_sql(bigint, dba.timportconfig, dba.load_plan, text, boolean) OWNER TO feeds_owner;
REVOKE ALL ON FUNCTION dba._load_sql(bigint, dba.timportconfig, dba.load_plan, text, boolean) FROM PUBLIC;
COMMENT ON FUNCTION dba._load_sql(bigint, dba.timportconfig, dba.load_plan, text, boolean) IS
'Internal: renders the SELECT of the rows a load inserts (src) and the target columns it fills (columns) for dba._load_rows: on the fast ways the rows that pass the fast checks (the others set aside); after full validation the valid rows, one per key by the duplicate-key policy. Never raises.';
