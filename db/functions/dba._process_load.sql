-- dba._process_load: full validation of one staged file: header, every rule of every row, load, hook.
CREATE OR REPLACE FUNCTION dba._process_load(p_load_id bigint, p_dry_run boolean DEFAULT false)
RETURNS dba.tdataloads
LANGUAGE plpgsql
SET search_path = pg_catalog, pg_temp
SET DateStyle = 'ISO, MDY'
AS $function$
/*
   Internal; the way every file can take. dba._load_file() calls it once stage.load_<id> holds
   the file's lines (line_no, raw) and no fast way took the file (dba._take_fast_way):
     SELECT status, rows_rejected FROM dba._process_load(42);
   The steps, each a function over the plan:
     4. dba._open_load (records and header), dba._compile_plan (the plan for that header)
     5. dba._validate_rows: every rule of every row, set-based, every failure in dba.tloaderror
     6. dba._load_sql + dba._load_rows: the valid rows into the target by mode, before-images
        kept in dba.tloadundo for dba.undo_load()
     7. dba._close_load: the post-load hook, counts and status
   Layout problems (FD020, FD021) and a reject limit (FD030) do not raise: the file is marked
   failed and its reasons stay in dba.tloaderror. A dry run stops before the load and leaves
   the load pending (its caller rolls the file back). Anything else raises to the caller, which
   rolls the file back and records the SQLSTATE.
*/
DECLARE
    v_load   dba.tdataloads := (SELECT d FROM dba.tdataloads d WHERE d.load_id = p_load_id);
    v_cfg    dba.timportconfig := (SELECT c FROM dba.timportconfig c WHERE c.config_id = v_load.config_id);
    v_src    record;      -- dba.load_source and
    v_plan   record;      -- dba.load_plan: both declared later in sqitch.plan than this function
    v_layout text[];
    v_width  bigint;
    v_rej    bigint;
    v_sql    record;
    v_rows   record;
BEGIN
    v_src := dba._open_load(p_load_id, v_cfg, 'full validation');
    v_plan := dba._compile_plan(v_cfg, v_load.file_name, v_src.header);
    v_layout := CASE WHEN cardinality(v_src.layout) > 0 THEN v_src.layout ELSE v_plan.layout END;
    -- The work table keeps each row's values, typed values and one flag per check: PostgreSQL's
    -- 1600 columns bound the job there, not the file.
    SELECT 5 + 2 * cardinality(v_plan.columns) + count(*) INTO v_width FROM unnest(v_plan.columns) c, unnest(c.checks);
    IF cardinality(v_layout) = 0 AND v_width > 1600 THEN
        v_layout := ARRAY[format('%s: the job maps %s columns; validating a row needs %s columns, more than PostgreSQL''s limit of 1600',
                                 v_load.file_name, cardinality(v_plan.columns), v_width)];
    END IF;
    IF cardinality(v_layout) > 0 THEN
        INSERT INTO dba.tloaderror (load_id, line_no, column_name, raw_value, rule, message, raw_line)
        SELECT p_load_id, CASE WHEN v_cfg.has_header THEN v_src.header_line END, NULL, NULL, 'header', m, v_src.header_raw
          FROM unnest(v_layout) m;
        -- refused before any row was read: no row counts as read or rejected (dba.load_outcome
        -- shows 'file refused: layout')
        RETURN dba._set_outcome(p_load_id, 'failed', 0, 0, 0, 0,
                                CASE WHEN v_src.header_raw IS NULL AND v_cfg.has_header THEN 'FD021' ELSE 'FD020' END,
                                'layout error: ' || array_to_string(v_layout, '; '));
    END IF;

    v_rej := dba._validate_rows(p_load_id, v_cfg, v_plan, v_src);
    PERFORM dba.log(p_run_uuid => v_load.run_uuid, p_process_type => 'run_import', p_load_id => p_load_id,
                    p_level => CASE WHEN v_rej > 0 THEN 'warning' ELSE 'info' END,
                    p_message => format('%s: validated %s rows, %s rejected', v_load.file_name, v_src.rows_read, v_rej));
    IF dba._over_reject_limit(v_cfg, v_rej, v_src.rows_read) THEN
        RETURN dba._set_outcome(p_load_id, 'failed', v_src.rows_read, 0, 0, v_rej, 'FD030',
                                format('%s: %s of %s rows rejected, over the job''s limit (%s); nothing was loaded',
                                       v_load.file_name, v_rej, v_src.rows_read,
                                       concat_ws(', ', 'max ' || v_cfg.max_rejects, 'ratio ' || v_cfg.max_reject_ratio)));
    END IF;
    IF p_dry_run THEN
        EXECUTE format('DROP TABLE stage.%I', 'load_' || p_load_id || '_v');
        IF v_src.relation <> format('stage.%I', 'load_' || p_load_id) THEN EXECUTE format('DROP TABLE %s', v_src.relation); END IF;
        v_load.rows_read := v_src.rows_read; v_load.rows_rejected := v_rej; v_load.rows_inserted := v_src.rows_read - v_rej;
        RETURN v_load;
    END IF;

    -- replace_per_run is emptied once per run, by dba._load_file, before the run's first file.
    v_sql := dba._load_sql(p_load_id, v_cfg, v_plan, format('stage.%I s', 'load_' || p_load_id || '_v'), false);
    v_rows := dba._load_rows(p_load_id, v_cfg, v_plan.target, v_sql.src, v_sql.columns);
    RETURN dba._close_load(p_load_id, v_cfg, v_src.rows_read, v_rows.inserted, v_rows.updated, v_rej);
END
$function$;

ALTER FUNCTION dba._process_load(bigint, boolean) OWNER TO feeds_owner;
REVOKE ALL ON FUNCTION dba._process_load(bigint, boolean) FROM PUBLIC;
COMMENT ON FUNCTION dba._process_load(bigint, boolean) IS
'Internal: full validation of a staged load: checks the header, validates every row set-based (every failure in dba.tloaderror), loads the valid rows by mode and runs the hook; marks layout errors (FD020/FD021) and reject-limit failures (FD030) as failed without raising; a dry run stops before the load. Other errors (e.g. FD010, casts the target refuses) raise to the caller.';
