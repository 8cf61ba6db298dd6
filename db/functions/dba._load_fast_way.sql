-- dba._load_fast_way: a clean file loaded in one statement (direct path or one pass), or why not.
CREATE OR REPLACE FUNCTION dba._load_fast_way(p_load_id bigint, p_path text DEFAULT NULL)
RETURNS text
LANGUAGE plpgsql
SET search_path = pg_catalog, pg_temp
SET DateStyle = 'ISO, MDY'
AS $function$
/*
   Internal; only dba._take_fast_way() calls it, inside the subtransaction that rolls the attempt
   back when a row raises:
     SELECT dba._load_fast_way(42, '/srv/…/a.csv');   -- direct path: NULL when loaded, else why not
     SELECT dba._load_fast_way(42);                    -- one pass over stage.load_42
   One INSERT … SELECT checks every value on the way with cheap exact tests (dba._rows_sql,
   dba._load_sql): a number or date is taken only when PostgreSQL prints it back as exactly the
   text in the file, every rule of the job holds, and the count of fields is right. The first row
   that is not plainly valid raises (dba._direct_path_miss, a cast, ON CONFLICT meeting a key
   twice); full validation then names every failure, so a file loads the same whichever way it
   goes. Returns NULL when the file is loaded (dba._close_load), or, having done nothing that
   stays, why the file does not qualify: feeds.direct_path off, key columns outside upsert, a
   refusal of dba._open_load, a layout error, a date format only full validation checks
   (dba.load_plan.fast_refusal), or (direct path) fewer than two or more than 1600 columns.
*/
DECLARE
    v_load   dba.tdataloads := (SELECT d FROM dba.tdataloads d WHERE d.load_id = p_load_id);
    v_cfg    dba.timportconfig := (SELECT c FROM dba.timportconfig c WHERE c.config_id = v_load.config_id);
    v_way    text := CASE WHEN p_path IS NULL THEN 'one pass' ELSE 'direct path' END;
    v_src    dba.load_source;
    v_plan   dba.load_plan;
    v_reason text;
    v_sql    record;
    v_rows   record;
BEGIN
    IF lower(coalesce(current_setting('feeds.direct_path', true), '')) IN ('off', 'false', '0', 'no') THEN
        RETURN 'feeds.direct_path is off';
    ELSIF cardinality(v_cfg.key_columns) > 0 AND v_cfg.load_mode <> 'upsert' THEN
        RETURN 'key columns outside upsert (duplicate keys need the job''s policy)';
    END IF;
    v_src := dba._open_load(p_load_id, v_cfg, v_way, p_path);
    IF v_src.refusal IS NOT NULL THEN
        RETURN v_src.refusal;
    END IF;
    v_plan := dba._compile_plan(v_cfg, v_load.file_name, v_src.header);
    -- With one column a blank line is a value to COPY, not an error; a foreign table has at most
    -- 1600 columns.
    v_reason := CASE WHEN cardinality(v_src.layout) > 0 OR cardinality(v_plan.layout) > 0 THEN 'a layout error'
                     WHEN v_plan.fast_refusal IS NOT NULL THEN v_plan.fast_refusal
                     WHEN p_path IS NOT NULL AND v_plan.n_fields NOT BETWEEN 2 AND 1600 THEN format('%s columns', v_plan.n_fields) END;
    IF v_reason IS NOT NULL THEN
        -- The joined records go: full validation joins them again (and reports the header error).
        IF v_src.relation <> format('stage.%I', 'load_' || p_load_id) THEN
            EXECUTE format('DROP TABLE %s', v_src.relation);
        END IF;
        RETURN v_reason;
    END IF;

    v_sql := dba._load_sql(p_load_id, v_cfg, v_plan, dba._rows_sql(p_load_id, v_cfg, v_plan, v_src, true), true);
    v_rows := dba._load_rows(p_load_id, v_cfg, v_plan.target, v_sql.src, v_sql.columns);
    -- Every row was valid (or the attempt would have ended): all of them are in.
    PERFORM dba.log(p_run_uuid => v_load.run_uuid, p_process_type => 'run_import', p_load_id => p_load_id,
                    p_message => format('%s: validated %s rows, 0 rejected (%s)', v_load.file_name,
                                        v_rows.inserted + v_rows.updated, v_way));
    PERFORM dba._close_load(p_load_id, v_cfg, v_rows.inserted + v_rows.updated, v_rows.inserted, v_rows.updated, 0);
    RETURN NULL;
END
$function$;

ALTER FUNCTION dba._load_fast_way(bigint, text) OWNER TO feeds_owner;
REVOKE ALL ON FUNCTION dba._load_fast_way(bigint, text) FROM PUBLIC;
COMMENT ON FUNCTION dba._load_fast_way(bigint, text) IS
'Internal: loads a clean file in one INSERT … SELECT, by the direct path (p_path, through file_fdw) or one pass over its staged lines; returns NULL when loaded, else why the file does not qualify (nothing done). Raises FD098, a cast error or 21000 when a row is not plainly valid, and FD010 as full validation does; dba._take_fast_way catches them.';
