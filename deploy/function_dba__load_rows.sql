-- Deploy feeds:function_dba__load_rows to pg
-- Generated from db/functions/dba._load_rows.sql by bin/sync-functions: edit that file, not this one.
BEGIN;

-- dba._load_rows: the load step: the valid rows into the target by the job's mode, before-images kept.
CREATE OR REPLACE FUNCTION dba._load_rows(p_load_id bigint, p_cfg dba.timportconfig, p_target regclass,
                                          p_src text, p_columns text[], p_keys text[], OUT inserted bigint, OUT updated bigint)
LANGUAGE plpgsql
SET search_path = pg_catalog, pg_temp
AS $function$
/*
   Internal; step 6 of dba._process_load(), which renders the plan into p_src (a SELECT of the
   rows to load, one column per name in p_columns, in that order) and p_keys (the key columns
   of p_src as s.<name>):
     SELECT * FROM dba._load_rows(42, cfg, 'eng_fx.people', 'SELECT …', '{id,name,load_id}', '{s.t1}');
   append: one INSERT … SELECT. replace: the table is emptied first (dba._empty_target, kept for
   undo), atomically with the new rows. upsert: one statement reads the rows once (a CTE), keeps
   every row it will overwrite in dba.tloadundo (the WITH's snapshot is taken before the upsert)
   and runs INSERT … ON CONFLICT DO UPDATE; counts inserted and updated rows.
*/
DECLARE
    v_cols text := (SELECT string_agg(quote_ident(c), ', ') FROM unnest(p_columns) c);
BEGIN
    IF p_cfg.load_mode = 'replace' THEN
        PERFORM dba._empty_target(p_load_id, p_target);
    END IF;
    IF p_cfg.load_mode <> 'upsert' THEN
        EXECUTE format('INSERT INTO %s (%s) %s', p_target, v_cols, p_src);
        GET DIAGNOSTICS inserted = ROW_COUNT;
        updated := 0;
        RETURN;
    END IF;
    EXECUTE format($q$
        WITH src AS MATERIALIZED (%3$s),
             old AS (INSERT INTO dba.tloadundo (load_id, target_table, old_load_id, row_image)
                     SELECT $1, $2, t.load_id, to_jsonb(t) FROM %1$s t WHERE (%4$s) IN (SELECT %5$s FROM src s)
                     RETURNING 1),
             up AS (INSERT INTO %1$s (%2$s) SELECT * FROM src ON CONFLICT (%6$s) DO UPDATE SET %7$s
                    RETURNING (xmax = 0) AS ins)
        SELECT count(*) FILTER (WHERE ins), count(*) FILTER (WHERE NOT ins) FROM up$q$,
        p_target, v_cols, p_src,
        (SELECT string_agg(format('t.%I', k), ', ') FROM unnest(p_cfg.key_columns) k),
        array_to_string(p_keys, ', '),
        (SELECT string_agg(quote_ident(k), ', ') FROM unnest(p_cfg.key_columns) k),
        (SELECT string_agg(format('%1$I = EXCLUDED.%1$I', c), ', ') FROM unnest(p_columns) c WHERE NOT c = ANY (p_cfg.key_columns)))
    INTO inserted, updated
    USING p_load_id, p_target::text;
END
$function$;

ALTER FUNCTION dba._load_rows(bigint, dba.timportconfig, regclass, text, text[], text[]) OWNER TO feeds_owner;
REVOKE ALL ON FUNCTION dba._load_rows(bigint, dba.timportconfig, regclass, text, text[], text[]) FROM PUBLIC;
COMMENT ON FUNCTION dba._load_rows(bigint, dba.timportconfig, regclass, text, text[], text[]) IS
'Internal: loads the rows of p_src into the target by the job''s load mode (append, replace after emptying the table, upsert with INSERT … ON CONFLICT DO UPDATE), keeping every row it removes or overwrites in dba.tloadundo for dba.undo_load(); returns the rows inserted and updated. Raises what the target raises (constraints, privileges).';

COMMIT;
