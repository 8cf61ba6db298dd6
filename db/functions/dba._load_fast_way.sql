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
   dba._load_sql): a row loads when every number or date prints back as exactly the text in the
   file, every rule of the job holds, and the count of fields is right. Any other row is set
   aside (dba._set_aside) and the statement goes on; then those lines alone get full validation
   (dba._reject_set_aside), which records each failure as full validation of the whole file
   would, so a file loads the same whichever way it goes. Returns NULL when the file is loaded
   (dba._close_load), or, having done nothing that stays, why the file does not qualify:
   feeds.direct_path off, key columns outside upsert, a refusal of dba._open_load, a layout
   error, a date format only full validation checks (dba.load_plan.fast_refusal), or (direct
   path) fewer than two or more than 1600 columns. It raises, and the caller rolls the rows it
   loaded back, when a value does not cast (PostgreSQL 15 has no cast that does not raise), ON
   CONFLICT meets a key twice, a line set aside is valid after all (FD098, dba._direct_path_miss:
   e.g. a number with spaces around it), or the rejects are over the job's limit (FD098).
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
    v_aside  bigint;
    v_read   bigint;
    v_rej    bigint;
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
    -- The rows set aside get full validation; each must be rejected there, or the file goes
    -- through full validation (the rows loaded so far roll back with the attempt).
    v_aside := (SELECT count(*) FROM dba.tsetaside a WHERE a.load_id = p_load_id);
    v_read := v_rows.inserted + v_rows.updated + v_aside;
    IF v_aside > 0 THEN
        v_rej := dba._reject_set_aside(p_load_id, v_cfg, v_plan, v_src);
        IF v_rej < v_aside THEN
            PERFORM dba._direct_path_miss();
        ELSIF dba._over_reject_limit(v_cfg, v_rej, v_read) THEN
            RAISE EXCEPTION 'over the job''s reject limit: full validation records it' USING ERRCODE = 'FD098';
        END IF;
    END IF;
    PERFORM dba.log(p_run_uuid => v_load.run_uuid, p_process_type => 'run_import', p_load_id => p_load_id,
                    p_level => CASE WHEN v_aside > 0 THEN 'warning' ELSE 'info' END,
                    p_message => format('%s: validated %s rows, %s rejected (%s)', v_load.file_name, v_read, v_aside, v_way));
    PERFORM dba._close_load(p_load_id, v_cfg, v_read, v_rows.inserted, v_rows.updated, v_aside);
    RETURN NULL;
END
$function$;

ALTER FUNCTION dba._load_fast_way(bigint, text) OWNER TO feeds_owner;
REVOKE ALL ON FUNCTION dba._load_fast_way(bigint, text) FROM PUBLIC;
COMMENT ON FUNCTION dba._load_fast_way(bigint, text) IS
'Internal: loads a file in one INSERT … SELECT, by the direct path (p_path, through file_fdw) or one pass over its staged lines, setting aside the rows that are not plainly valid and recording their rejects as full validation does; returns NULL when loaded, else why the file does not qualify (nothing done). Raises a cast error, 21000 (a key twice), FD098 (a row set aside is valid after full validation, or the rejects are over the limit) and FD010 as full validation does; dba._take_fast_way catches them and rolls back.';
