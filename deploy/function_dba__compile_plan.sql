-- Deploy feeds:function_dba__compile_plan to pg
-- Generated from db/functions/dba._compile_plan.sql by bin/sync-functions: edit that file, not this one.
BEGIN;

-- dba._compile_plan: a job and a file's header compiled into a typed load plan, once per file.
CREATE OR REPLACE FUNCTION dba._compile_plan(p_cfg dba.timportconfig, p_file_name text, p_header text[])
RETURNS dba.load_plan
LANGUAGE plpgsql
STABLE
SET search_path = pg_catalog, pg_temp
AS $function$
/*
   Internal; each way through a load (dba._load_fast_way, dba._process_load) compiles the plan
   once dba._open_load has the header (NULL without one), and renders its SQL from it:
     SELECT (p).n_fields, (p).layout, (p).columns[1].checks
       FROM (SELECT dba._compile_plan(c, 'f.csv', '{code,qty,note}') AS p
               FROM dba.timportconfig c WHERE job_name = 'x') s;
   Each entry of the column map finds its field by the job's header policy (strict: the same
   name at its place; ignore_extra: its name anywhere; by_position: its place) and becomes a
   dba.plan_column (dba._plan_column); a field it cannot find is a layout error in
   layout (rule header). fast_refusal says why the fast ways cannot take the file, if so.
*/
DECLARE
    v_plan  dba.load_plan;
    v_line  bigint := p_cfg.skip_lines + CASE WHEN p_cfg.has_header THEN 1 ELSE 0 END;
    v_entry jsonb;
    v_names text[];
    v_ord   integer := 0;
    v_idx   integer;
    v_files integer;
    v_col   dba.plan_column;
BEGIN
    v_plan.target := p_cfg.target_table::regclass;
    v_plan.columns := '{}'; v_plan.layout := '{}';
    SELECT count(*), greatest(count(*), coalesce(max((e ->> 'position')::int), 0)) INTO v_files, v_plan.n_fields
      FROM jsonb_array_elements(p_cfg.column_map) e WHERE NOT e ? 'from_file_name';
    v_plan.n_fields := coalesce(cardinality(p_header), v_plan.n_fields);
    IF p_header IS NOT NULL AND p_cfg.header_policy = 'strict' AND v_plan.n_fields <> v_files THEN
        v_plan.layout := ARRAY[format('%s line %s: the header has %s columns, the job expects %s',
                                      p_file_name, v_line, v_plan.n_fields, v_files)];
        RETURN v_plan;
    END IF;
    FOR v_entry IN SELECT e FROM jsonb_array_elements(p_cfg.column_map) e LOOP
        v_idx := NULL;
        IF NOT v_entry ? 'from_file_name' THEN
            v_ord := v_ord + 1;
            v_names := CASE jsonb_typeof(v_entry -> 'source') WHEN 'array' THEN ARRAY(SELECT jsonb_array_elements_text(v_entry -> 'source'))
                            WHEN 'string' THEN ARRAY[v_entry ->> 'source'] END;
            v_idx := coalesce((v_entry ->> 'position')::int, v_ord);
            IF p_header IS NOT NULL AND v_names IS NOT NULL AND p_cfg.header_policy IN ('ignore_extra', 'strict') THEN
                v_idx := CASE WHEN p_cfg.header_policy = 'strict' THEN v_idx END;
                SELECT min(h.n) INTO v_idx FROM unnest(p_header) WITH ORDINALITY h(name, n)
                 WHERE (v_idx IS NULL OR h.n = v_idx)
                   AND dba._normalize_header(h.name) IN (SELECT dba._normalize_header(x) FROM unnest(v_names) x);
            END IF;
            IF v_idx IS NULL OR v_idx > v_plan.n_fields THEN
                v_plan.layout := v_plan.layout || dba._header_error(p_cfg, p_file_name, p_header, v_entry, v_ord, v_names);
                CONTINUE;
            END IF;
        END IF;
        v_col := dba._plan_column(p_cfg, v_entry, cardinality(v_plan.columns) + 1, v_idx,
                                  CASE WHEN v_idx IS NOT NULL THEN coalesce(p_header[v_idx], '#' || v_idx) END,
                                  p_file_name, v_plan.target);
        v_plan.columns := v_plan.columns || v_col;
        IF v_col.fast_typed_sql IS NULL THEN
            v_plan.fast_refusal := coalesce(v_plan.fast_refusal, format('column %s: the format %s is checked only by full validation',
                                                                        quote_ident(v_col.target), coalesce(v_entry ->> 'format', 'ISO')));
        END IF;
    END LOOP;
    v_plan.has_line := EXISTS (SELECT 1 FROM pg_attribute WHERE attrelid = v_plan.target AND attname = 'line_no' AND NOT attisdropped)
                       AND NOT EXISTS (SELECT 1 FROM unnest(v_plan.columns) c WHERE c.target = 'line_no');
    -- A line's fields: exactly as many as the header (or the column map), or at least as many.
    v_plan.count_op := CASE WHEN p_cfg.header_policy = 'ignore_extra' OR (p_header IS NOT NULL AND p_cfg.header_policy = 'by_position')
                            THEN '>=' ELSE '=' END;
    RETURN v_plan;
END
$function$;

ALTER FUNCTION dba._compile_plan(dba.timportconfig, text, text[]) OWNER TO feeds_owner;
REVOKE ALL ON FUNCTION dba._compile_plan(dba.timportconfig, text, text[]) FROM PUBLIC;
COMMENT ON FUNCTION dba._compile_plan(dba.timportconfig, text, text[]) IS
'Internal: compiles a job and a file''s header (NULL without one) into a dba.load_plan: the fields a line must have, one dba.plan_column per mapped column, the layout errors (header) if any, whether the target takes line_no, and why the fast ways cannot take the file. Never raises for a job the trigger accepted.';

COMMIT;
