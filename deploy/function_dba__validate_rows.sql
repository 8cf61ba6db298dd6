-- Deploy feeds:function_dba__validate_rows to pg
-- Generated from db/functions/dba._validate_rows.sql by bin/sync-functions: edit that file, not this one.
BEGIN;

-- dba._validate_rows: the validate step of full validation: every rule of every row, set-based.
CREATE OR REPLACE FUNCTION dba._validate_rows(p_load_id bigint, p_cfg dba.timportconfig, p_plan dba.load_plan,
                                              p_src dba.load_source)
RETURNS bigint
LANGUAGE plpgsql
SET search_path = pg_catalog, pg_temp
AS $function$
/*
   Internal; step 5 of dba._process_load(), once the header passed:
     SELECT dba._validate_rows(42, cfg, plan, src);   -- the rows rejected
   Builds the work table stage.load_<id>_v from the file's rows, once (dba._rows_sql): line_no,
   raw, nf (fields), v<k> and t<k> per plan column, e_syntax, e_count, one boolean per check
   named by its flag (e<k>_<j>). The reject, duplicate-key and load steps
   read it without computing anything again. Every failure becomes a dba.tloaderror row
   (dba._record_rejects); with key columns and duplicate_key_policy reject, every row whose key
   appears twice among the valid rows is rejected too (rule duplicate_key). Returns the lines
   rejected.
*/
DECLARE
    v_vtab   text := format('stage.%I', 'load_' || p_load_id || '_v');
    v_count  text := format('cardinality(s.f) %s %s', p_plan.count_op, p_plan.n_fields);
    v_file   text := (SELECT file_name FROM dba.tdataloads WHERE load_id = p_load_id);
    v_keys   text := (SELECT string_agg(format('s.t%s', c.k), ', ' ORDER BY c.k) FROM unnest(p_plan.columns) c WHERE c.is_key);
    v_rows   text := dba._rows_sql(p_load_id, p_cfg, p_plan, p_src, false);
    v_flags  text[];
    v_checks text[];
    v_conds  text;
    v_rej    bigint;
BEGIN
    SELECT coalesce(array_agg(ch.flag ORDER BY c.k, ch.j), '{}'),
           coalesce(array_agg(format('(%L, c.v%s, %L, %L, c.%I)', c.label, c.k, ch.rule, ch.message, ch.flag) ORDER BY c.k, ch.j), '{}'),
           coalesce(string_agg(format(', coalesce(%s AND (%s), false) AS %I', v_count, ch.cond, ch.flag), '' ORDER BY c.k, ch.j), '')
      INTO v_flags, v_checks, v_conds
      FROM unnest(p_plan.columns) c, unnest(c.checks) WITH ORDINALITY ch(rule, message, cond, fast, flag, j);
    EXECUTE format('CREATE UNLOGGED TABLE %1$s AS
                    SELECT s.line_no, s.raw, cardinality(s.f) AS nf, %2$s,
                           s.f IS NULL AS e_syntax, coalesce(NOT (%3$s), false) AS e_count%4$s
                      FROM %5$s',
                   v_vtab, (SELECT string_agg(format('s.v%1$s, s.t%1$s', c.k), ', ' ORDER BY c.k) FROM unnest(p_plan.columns) c),
                   v_count, v_conds, v_rows);
    IF to_regtype(format('stage.%I', 'load_' || p_load_id || '_r')) IS NOT NULL THEN
        EXECUTE format('DROP TYPE stage.%I', 'load_' || p_load_id || '_r');
    END IF;
    PERFORM dba._record_rejects(p_load_id, v_file, v_vtab::regclass, p_plan.n_fields, v_checks, v_flags);
    -- The same key twice among the valid rows (no reject recorded yet): reject every such row
    -- (first_wins and last_wins keep one, dba._load_sql).
    IF v_keys IS NOT NULL AND p_cfg.duplicate_key_policy = 'reject' THEN
        EXECUTE format($q$
            INSERT INTO dba.tloaderror (load_id, line_no, column_name, raw_value, rule, message, raw_line)
            SELECT $1, d.line_no, NULL, d.k, 'duplicate_key',
                   format('%%s line %%s: key (%%s) appears on lines %%s; rejected (duplicate_key_policy reject)', $2, d.line_no,
                          d.k, d.lines), d.raw
              FROM (SELECT s.line_no, s.raw, concat_ws(', ', %1$s) AS k,
                           string_agg(s.line_no::text, ', ') OVER (PARTITION BY %1$s) AS lines,
                           count(*) OVER (PARTITION BY %1$s) AS n
                      FROM %2$s s
                     WHERE NOT EXISTS (SELECT 1 FROM dba.tloaderror e WHERE e.load_id = $1 AND e.line_no = s.line_no)) d
             WHERE d.n > 1
            $q$, v_keys, v_vtab)
        USING p_load_id, v_file;
    END IF;
    SELECT count(DISTINCT line_no) INTO v_rej FROM dba.tloaderror WHERE load_id = p_load_id;
    RETURN v_rej;
END
$function$;

ALTER FUNCTION dba._validate_rows(bigint, dba.timportconfig, dba.load_plan, dba.load_source) OWNER TO feeds_owner;
REVOKE ALL ON FUNCTION dba._validate_rows(bigint, dba.timportconfig, dba.load_plan, dba.load_source) FROM PUBLIC;
COMMENT ON FUNCTION dba._validate_rows(bigint, dba.timportconfig, dba.load_plan, dba.load_source) IS
'Internal: full validation''s validate step: builds the work table stage.load_<id>_v (values, typed values, one flag per check) from every row once, records every failure and every rejected duplicate key in dba.tloaderror, and returns the number of lines rejected. Raises what reading the staged rows raises (nothing for a staged file).';

COMMIT;
