-- Deploy feeds:function_dba__import_file to pg
-- Generated from db/functions/dba._import_file.sql by bin/sync-functions: edit that file, not this one.
BEGIN;

-- dba._import_file: one registered file of run_import, checked, loaded and checked again, isolated.
CREATE OR REPLACE FUNCTION dba._import_file(p_cfg dba.timportconfig, p_load dba.tdataloads, p_delivered_name text,
                                            p_dry_run boolean, p_run_uuid uuid)
RETURNS dba.tdataloads
LANGUAGE plpgsql
SET search_path = pg_catalog, pg_temp
AS $function$
/*
   Internal; dba.run_import() calls it for each file with a pending registration p_load (the
   watcher's, dba.register_file), holding the file's lock:
     SELECT (dba._import_file(c, d, d.file_name, false, d.run_uuid)).status
       FROM dba.timportconfig c JOIN dba.tdataloads d USING (config_id) WHERE d.load_id = 42;
   Takes the registration into this run (dba._register_load reuses it), checks that the file is
   still the registered one (dba._check_registered, one chunk at a time; it also says whether
   the job's quote character occurs, which the direct path needs to know, and whether a line
   begins with \., which COPY takes for the end of the data), loads it
   (dba._load_file: its own failures are recorded on the load, not raised) and checks the file
   again before the commit. All of it is one subtransaction: a file that is not the registered
   one (FD016) is recorded as a failed load after everything read from it is rolled back, and a
   dry run (p_dry_run) rolls the file's work back and returns status 'dry_run' (nothing recorded).
   Returns the load as it ends. Raises nothing of its own: every failure is on the load.
*/
DECLARE
    v_load   dba.tdataloads := p_load;
    v_seen   record;
BEGIN
    BEGIN
        v_load := dba._register_load(p_cfg, p_delivered_name, p_load.file_path, p_load.sha256, p_load.file_size,
                                     p_run_uuid, 'server', p_load.chunk_sha256, p_load.chunk_size);
        IF v_load.status = 'pending' THEN
            -- Checked before staging and again before the commit: a link swapped in between is a
            -- failed load, and everything read from it is rolled back.
            v_seen := dba._check_registered(v_load, convert_to(p_cfg.quote_char, p_cfg.encoding));
            v_load := dba._load_file(v_load.load_id, p_load.file_path, p_dry_run, NOT v_seen.quoted,
                                     NOT v_seen.end_marker);
            PERFORM dba._check_registered(v_load, p_when => 'after loading');
        END IF;
        IF p_dry_run THEN
            RAISE EXCEPTION USING ERRCODE = 'FD099', MESSAGE = 'dry run: roll this file back';
        END IF;
    EXCEPTION
        WHEN SQLSTATE 'FD099' THEN
            v_load.status := CASE WHEN v_load.status = 'pending' THEN 'dry_run' ELSE v_load.status END;
        WHEN SQLSTATE 'FD016' THEN
            -- Recorded (not in a dry run) after the rollback of everything read from it.
            v_load.status := 'failed'; v_load.error_sqlstate := 'FD016'; v_load.error_message := SQLERRM;
            IF NOT p_dry_run THEN
                v_load := dba._fail_load(v_load.load_id, 'FD016', SQLERRM, p_log => true, p_run_uuid => p_run_uuid);
            END IF;
    END;
    RETURN v_load;
END
$function$;

ALTER FUNCTION dba._import_file(dba.timportconfig, dba.tdataloads, text, boolean, uuid) OWNER TO feeds_owner;
REVOKE ALL ON FUNCTION dba._import_file(dba.timportconfig, dba.tdataloads, text, boolean, uuid) FROM PUBLIC;
COMMENT ON FUNCTION dba._import_file(dba.timportconfig, dba.tdataloads, text, boolean, uuid) IS
'Internal: one file of dba.run_import with its pending registration: checked against it (dba._check_registered), loaded (dba._load_file), checked again, in one subtransaction; FD016 is recorded as a failed load after the rollback, a dry run is rolled back (status dry_run). Returns the load. Raises nothing of its own.';

COMMIT;
