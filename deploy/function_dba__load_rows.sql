-- Deploy feeds:function_dba__load_rows to pg
-- Generated from db/functions/dba._load_rows.sql by bin/sync-functions: edit that file, not this one.
BEGIN;

-- dba._load_rows: the load step: the valid rows into the target by the job's mode, before-images kept.
CREATE OR REPLACE FUNCTION dba._load_rows(p_load_id bigint, p_cfg dba.timportconfig, p_target regclass,
                                          p_src text, p_columns text[], OUT inserted bigint, OUT updated bigint)
LANGUAGE plpgsql
SET search_path = pg_catalog, pg_temp
AS $function$
/*
   Internal; the load step of both drivers (dba._load_fast_way, dba._process_load: step 6 of
   "Inside a load" in docs/engine-api.md); dba._load_sql renders the plan into p_src (a SELECT
   of the rows to load, one column per name in p_columns, in that order):
     SELECT * FROM dba._load_rows(42, cfg, 'eng_fx.people', 'SELECT …', '{id,name,load_id}');
   append: one INSERT … SELECT. replace: the table is emptied first (dba._empty_target, kept for
   undo), atomically with the new rows. upsert: one statement runs INSERT … ON CONFLICT DO UPDATE
   over the rows (read once) and keeps every row it overwrote, as it was, typed, in the target's
   undo table (dba._undo_table); counts inserted and updated rows. An upsert into an empty table
   overwrites nothing: it is a plain INSERT (no conflict check per row), the table locked against
   other writers (SHARE ROW EXCLUSIVE) until the load commits so that it stays so.
*/
DECLARE
    v_cols  text := (SELECT string_agg(quote_ident(c), ', ') FROM unnest(p_columns) c);
    v_empty boolean := false;
    v_undo  regclass;
    v_image text[];
    v_old   bigint[];
    v_loop  text := current_setting('enable_nestloop');
    v_merge text := current_setting('enable_mergejoin');
BEGIN
    IF p_cfg.load_mode = 'replace' THEN
        PERFORM dba._empty_target(p_load_id, p_target);
    ELSIF p_cfg.load_mode = 'upsert' THEN
        EXECUTE format('SELECT NOT EXISTS (SELECT FROM %s)', p_target) INTO v_empty;
        IF v_empty THEN
            EXECUTE format('LOCK TABLE %s IN SHARE ROW EXCLUSIVE MODE', p_target);
            EXECUTE format('SELECT NOT EXISTS (SELECT FROM %s)', p_target) INTO v_empty;
        END IF;
    END IF;
    IF p_cfg.load_mode <> 'upsert' OR v_empty THEN
        EXECUTE format('INSERT INTO %s (%s) %s', p_target, v_cols, p_src);
        GET DIAGNOSTICS inserted = ROW_COUNT;
        updated := 0;
        RETURN;
    END IF;
    v_undo := dba._undo_table(p_load_id, p_target);
    v_image := dba._image_columns(p_target, v_undo, false);
    -- The WITH's sub-statements share one snapshot: "old" reads each overwritten row as it was
    -- before the upsert. The source is read once; only keys of updated rows are kept in between.
    -- "old" must be a hash join: the planner knows nothing of "up" (a CTE) and, once the target
    -- has statistics, takes a nested loop or merge join over the target's index, twice as slow
    -- at 200,000 rows. As a semi-join it hashes the keys, not the target's whole rows. The
    -- settings are local to this statement (and go with an error's rollback).
    PERFORM set_config('enable_nestloop', 'off', true), set_config('enable_mergejoin', 'off', true);
    EXECUTE format($q$
        WITH up AS (INSERT INTO %1$s (%2$s) %3$s ON CONFLICT (%4$s) DO UPDATE SET %5$s
                    RETURNING %4$s, (xmax = 0) AS ins),
             old AS (INSERT INTO %6$s (undo_load_id, %7$s)
                     SELECT $1, %8$s FROM %1$s t WHERE EXISTS (SELECT FROM up WHERE %9$s AND NOT up.ins)
                     RETURNING load_id)
        SELECT count(*) FILTER (WHERE ins), count(*) FILTER (WHERE NOT ins),
               ARRAY(SELECT DISTINCT load_id FROM old WHERE load_id IS NOT NULL) FROM up$q$,
        p_target, v_cols, p_src,
        (SELECT string_agg(quote_ident(k), ', ') FROM unnest(p_cfg.key_columns) k),
        (SELECT string_agg(format('%1$I = EXCLUDED.%1$I', c), ', ') FROM unnest(p_columns) c WHERE NOT c = ANY (p_cfg.key_columns)),
        v_undo,
        (SELECT string_agg(quote_ident(c), ', ') FROM unnest(v_image) c),
        (SELECT string_agg('t.' || quote_ident(c), ', ') FROM unnest(v_image) c),
        (SELECT string_agg(format('up.%1$I = t.%1$I', k), ' AND ') FROM unnest(p_cfg.key_columns) k))
    INTO inserted, updated, v_old
    USING p_load_id;
    PERFORM set_config('enable_nestloop', v_loop, true), set_config('enable_mergejoin', v_merge, true);
    PERFORM dba._kept_images(p_load_id, v_undo, updated, v_old);
END
$function$;

ALTER FUNCTION dba._load_rows(bigint, dba.timportconfig, regclass, text, text[]) OWNER TO feeds_owner;
REVOKE ALL ON FUNCTION dba._load_rows(bigint, dba.timportconfig, regclass, text, text[]) FROM PUBLIC;
COMMENT ON FUNCTION dba._load_rows(bigint, dba.timportconfig, regclass, text, text[]) IS
'Internal: loads the rows of p_src into the target by the job''s load mode (append, replace after emptying the table, upsert with INSERT … ON CONFLICT DO UPDATE), keeping every row it removes or overwrites, typed, in the target''s undo table (dba._undo_table) for dba.undo_load(); an upsert into an empty table is a plain INSERT with the table locked (SHARE ROW EXCLUSIVE); returns the rows inserted and updated. Raises what the target raises (constraints, privileges).';

COMMIT;
