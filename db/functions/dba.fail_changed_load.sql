-- dba.fail_changed_load: a file changed after the engine read it; take the load back.
CREATE OR REPLACE FUNCTION dba.fail_changed_load(p_load_id bigint, p_reason text)
RETURNS text
LANGUAGE plpgsql
SECURITY DEFINER
SET search_path = pg_catalog, pg_temp
AS $function$
/*
   From the runner, when a file listed by dba.files_to_move() is no longer what the load read
   (size, mtime or sha256 differ, or a process still has it open for writing):
     SELECT dba.fail_changed_load(42, 'report_7.txt grew from 120 to 180 bytes after it was read');
   Undoes what the load wrote (dba.undo_load) when it loaded, marks it failed (FD014) with the
   reason and returns the path in the job's inbox where the runner puts the file back, so that
   the complete file loads in a later run; that path is recorded as the file's location.
   Raises FD001 (unknown load), FD041 (the load is not one the runner moves), FD040 (a later load
   changed its rows: dba.undo_load refuses), 22023 (no reason).
*/
DECLARE
    v_load dba.tdataloads;
    v_cfg  dba.timportconfig;
    v_path text;
BEGIN
    IF coalesce(btrim(p_reason), '') = '' THEN
        RAISE EXCEPTION 'fail_changed_load needs a reason' USING ERRCODE = '22023';
    END IF;
    v_load := dba._lock_load(p_load_id);
    IF v_load.status NOT IN ('loaded', 'loaded_with_rejects', 'duplicate') OR v_load.file_location IS NOT NULL THEN
        RAISE EXCEPTION 'load % (%) is not waiting to be archived', p_load_id, v_load.status
              USING ERRCODE = 'FD041', HINT = 'Only loads listed by dba.files_to_move() for the archive qualify.';
    END IF;
    IF v_load.status <> 'duplicate' THEN
        PERFORM dba.undo_load(p_load_id);
    END IF;
    SELECT * INTO STRICT v_cfg FROM dba.timportconfig c WHERE c.config_id = v_load.config_id;
    v_path := v_cfg.inbox_dir || '/' || v_load.file_name;
    UPDATE dba.tdataloads d
       SET status = 'failed', error_sqlstate = 'FD014', file_location = v_path,
           error_message = format('%s changed after it was read (%s); the load was undone and the file goes back to %s to load whole in a later run',
                                  v_load.file_name, p_reason, v_cfg.inbox_dir)
     WHERE d.load_id = p_load_id;
    PERFORM dba.log(p_run_uuid => coalesce(v_load.run_uuid, '00000000-0000-0000-0000-000000000000'),
                    p_process_type => 'runner', p_load_id => p_load_id, p_level => 'error',
                    p_message => format('failed [FD014] %s changed after it was read (%s); undone, back to %s',
                                        v_load.file_name, p_reason, v_path));
    RETURN v_path;
END
$function$;

ALTER FUNCTION dba.fail_changed_load(bigint, text) OWNER TO feeds_owner;
REVOKE ALL ON FUNCTION dba.fail_changed_load(bigint, text) FROM PUBLIC;
GRANT EXECUTE ON FUNCTION dba.fail_changed_load(bigint, text) TO feeds_etl;
COMMENT ON FUNCTION dba.fail_changed_load(bigint, text) IS
'A file changed after the engine read it (a writer still at work): undoes the load (dba.undo_load) when it loaded, marks it failed with FD014 and the reason, records and returns the path in the job''s inbox where the runner puts the file back to load whole in a later run. Raises FD001, FD040, FD041, 22023.';
