-- Deploy feeds:function_dba_mark_moved to pg
-- Generated from db/functions/dba.mark_moved.sql by bin/sync-functions: edit that file, not this one.
BEGIN;

-- dba.mark_moved: the runner says where a file now lies.
CREATE OR REPLACE FUNCTION dba.mark_moved(p_load_id bigint, p_new_path text)
RETURNS void
LANGUAGE plpgsql
SECURITY DEFINER
SET search_path = pg_catalog, pg_temp
AS $function$
/*
   From the runner, after moving a file listed by dba.files_to_move():
     SELECT dba.mark_moved(42, '/srv/feeds/visitas/archive/20240101-42-report_7.txt.zip');
   Only a load that can move (loaded, loaded_with_rejects, duplicate, undone or failed, and not
   moved elsewhere yet) may be marked, and only to a plain name directly inside its job's
   archive_dir or failed_dir, or to the inbox path dba._back_to_inbox() names (FD016). Raises
   FD001 (unknown load), 22023 (not an absolute path), FD015
   (the load cannot move, or the path is outside those two directories).
*/
DECLARE
    v_load dba.tdataloads;
    v_cfg  dba.timportconfig;
    v_dir  text := regexp_replace(p_new_path, '/[^/]*$', '');
    v_name text := substring(p_new_path FROM '[^/]*$');
BEGIN
    IF p_new_path IS NULL OR p_new_path !~ '^/' OR p_new_path ~ '[[:cntrl:]]' THEN
        RAISE EXCEPTION 'the new location must be an absolute path' USING ERRCODE = '22023';
    END IF;
    v_load := dba._lock_load(p_load_id);
    SELECT * INTO v_cfg FROM dba.timportconfig c WHERE c.config_id = v_load.config_id;
    IF v_load.status NOT IN ('loaded', 'loaded_with_rejects', 'duplicate', 'undone', 'failed')
       OR v_load.file_location IS DISTINCT FROM NULL AND v_load.file_location <> p_new_path THEN
        RAISE EXCEPTION 'load % (%) cannot be moved', p_load_id, v_load.status
              USING ERRCODE = 'FD015',
                    DETAIL = format('Its status is %s and its file lies at %s.', v_load.status,
                                    coalesce(v_load.file_location, v_load.file_path, 'no path')),
                    HINT = 'Only loads listed by dba.files_to_move() are moved.';
    END IF;
    IF p_new_path = dba._back_to_inbox(v_load, v_cfg) THEN
        NULL;  -- the file went back to the inbox to load whole later (FD016)
    ELSIF v_name IN ('', '.', '..') OR v_dir IS DISTINCT FROM rtrim(CASE WHEN v_load.status = 'failed'
                                                                THEN v_cfg.failed_dir ELSE v_cfg.archive_dir END, '/') THEN
        RAISE EXCEPTION 'load % may not be moved to %', p_load_id, quote_literal(p_new_path)
              USING ERRCODE = 'FD015',
                    DETAIL = format('A %s load goes directly into %s.', v_load.status,
                                    CASE WHEN v_load.status = 'failed' THEN v_cfg.failed_dir ELSE v_cfg.archive_dir END),
                    HINT = 'Move the file where dba.files_to_move() says.';
    END IF;
    UPDATE dba.tdataloads d SET file_location = p_new_path WHERE d.load_id = p_load_id;
    PERFORM dba.log(p_run_uuid => coalesce(v_load.run_uuid, '00000000-0000-0000-0000-000000000000'),
                    p_process_type => 'runner', p_load_id => p_load_id,
                    p_message => format('%s moved to %s', v_load.file_name, p_new_path));
END
$function$;

ALTER FUNCTION dba.mark_moved(bigint, text) OWNER TO feeds_owner;
REVOKE ALL ON FUNCTION dba.mark_moved(bigint, text) FROM PUBLIC;
GRANT EXECUTE ON FUNCTION dba.mark_moved(bigint, text) TO feeds_etl;
COMMENT ON FUNCTION dba.mark_moved(bigint, text) IS
'Records where a load''s file now lies (dba.tdataloads.file_location) and logs it; only for a load that can move (loaded, loaded_with_rejects, duplicate, undone, failed; not moved elsewhere yet) and only to a name directly inside its job''s archive_dir (failed_dir for a failed load), or to the inbox path dba._back_to_inbox names for a file that was not the registered one (FD016). Raises FD001 (unknown load), 22023 (not an absolute path), FD015 (the load cannot move or the path is outside those directories).';

COMMIT;
