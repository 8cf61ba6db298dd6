-- dba.run_import: import every file waiting in the jobs' processing directories.
CREATE OR REPLACE FUNCTION dba.run_import(
    p_job      text DEFAULT NULL,
    p_file     text DEFAULT NULL,
    p_dry_run  boolean DEFAULT false,
    p_run_uuid uuid DEFAULT NULL
) RETURNS TABLE (
    load_id       bigint,
    file_name     text,
    job           text,
    status        text,
    rows_read     bigint,
    rows_inserted bigint,
    rows_updated  bigint,
    rows_rejected bigint,
    message       text
)
LANGUAGE plpgsql
SECURITY DEFINER
SET search_path = pg_catalog, pg_temp
AS $function$
/*
   From psql:
     SELECT * FROM dba.run_import();                               -- everything waiting
     SELECT * FROM dba.run_import(p_job => 'visitas');             -- one job
     SELECT * FROM dba.run_import(p_file => 'report_1.txt');       -- one file
     SELECT * FROM dba.run_import(p_dry_run => true);              -- validate, load nothing
   For each file, in job priority then name order (the files: dba._files_to_import), read only
   when the watcher registered it (dba._registration_to_import; it lstat-checked the file, since
   PostgreSQL follows links, and recorded its sha256 and chunk digest: dba.register_file):
   dba._import_file checks it is still
   the registered file, before staging and again after loading (dba._check_registered, one chunk
   at a time: a mismatch is a failed load, FD016, and nothing read from the file is kept), then
   stages it, checks the header, validates, loads by mode, runs the hook (dba._load_file). Each
   file is isolated: its failure is recorded and the run goes on. A file never registered is not
   read: logged (with the way out) and left waiting. A file another run is working on is
   skipped; a file whose load is done (loaded, duplicate, failed) and waits to be archived or
   quarantined is skipped, so a failed file is never imported again; a processing directory the
   server cannot list is logged as an error and its job skipped. Raises FD001 (unknown job),
   FD012 (p_file not waiting in any processing directory, or never registered).
*/
DECLARE
    v_run  uuid := p_run_uuid;
    v_cfg  dba.timportconfig;
    v_file record;
    v_load dba.tdataloads;
    v_seen integer := 0;
    v_unregistered text[] := '{}';
BEGIN
    IF p_job IS NOT NULL AND NOT EXISTS (SELECT 1 FROM dba.timportconfig c WHERE c.job_name = p_job) THEN
        RAISE EXCEPTION 'job % does not exist', quote_literal(p_job)
              USING ERRCODE = 'FD001', HINT = 'SELECT job_name FROM dba.timportconfig;';
    END IF;
    IF p_file IS NOT NULL THEN
        PERFORM dba._check_file_name(p_file);
    END IF;
    IF v_run IS NULL THEN
        v_run := dba.start_run('run_import');
    ELSIF NOT EXISTS (SELECT 1 FROM dba.trun r WHERE r.run_uuid = v_run) THEN
        RAISE EXCEPTION 'run % does not exist', v_run USING ERRCODE = 'FD001', HINT = 'Start runs with dba.start_run().';
    END IF;
    PERFORM dba._drop_old_stages(v_run);  -- staging tables of files that failed in earlier runs

    FOR v_cfg IN
        SELECT * FROM dba.timportconfig c
         WHERE c.enabled AND (p_job IS NULL OR c.job_name = p_job)
         ORDER BY c.priority, c.job_name
    LOOP
        FOR v_file IN SELECT * FROM dba._files_to_import(v_cfg, p_file, v_run) LOOP
            -- Another run_import at the same time takes this file: leave it to that one.
            CONTINUE WHEN NOT pg_try_advisory_xact_lock(hashtextextended(v_file.file_path, 7412));
            -- Only what the watcher registered is read; never registered: logged, left unread.
            v_load := dba._registration_to_import(v_cfg, v_file.file_path, v_run);
            IF v_load.load_id IS NULL THEN
                v_unregistered := v_unregistered || v_file.file_name;
                CONTINUE;
            END IF;
            -- Done already (loaded, duplicate, undone or failed) and waiting for the runner to
            -- archive or quarantine it: a failed file is never imported again.
            CONTINUE WHEN v_load.status <> 'pending';
            v_seen := v_seen + 1;
            v_load := dba._import_file(v_cfg, v_load, v_file.delivered_name, p_dry_run, v_run);
            RETURN QUERY SELECT v_load.load_id, v_load.file_name, v_cfg.job_name, v_load.status, v_load.rows_read,
                                v_load.rows_inserted, v_load.rows_updated, v_load.rows_rejected,
                                dba._load_message(v_load, p_dry_run);
        END LOOP;
    END LOOP;

    IF p_file IS NOT NULL AND v_seen = 0 AND cardinality(v_unregistered) > 0 THEN
        RAISE EXCEPTION 'file % is in the processing directory of % but was never registered, so it is not read',
              quote_literal(v_unregistered[1]), coalesce('job ' || quote_literal(p_job), 'an enabled job')
              USING ERRCODE = 'FD012',
                    HINT = 'Move it into the job''s inbox and run feeds watch (it checks and registers files), or register it by hand with dba.register_file (docs/operations.md).';
    ELSIF p_file IS NOT NULL AND v_seen = 0 THEN
        RAISE EXCEPTION 'file % is not waiting in the processing directory of %', quote_literal(p_file),
              coalesce('job ' || quote_literal(p_job), 'any enabled job')
              USING ERRCODE = 'FD012',
                    HINT = 'Files are read only from processing_dir of dba.timportconfig; the watcher moves them there.';
    END IF;
END
$function$;

ALTER FUNCTION dba.run_import(text, text, boolean, uuid) OWNER TO feeds_owner;
REVOKE ALL ON FUNCTION dba.run_import(text, text, boolean, uuid) FROM PUBLIC;
GRANT EXECUTE ON FUNCTION dba.run_import(text, text, boolean, uuid) TO feeds_etl;
COMMENT ON FUNCTION dba.run_import(text, text, boolean, uuid) IS
'Imports every file waiting in the enabled jobs'' processing directories (optionally one job or one file), one result row per file: load_id, file_name, job, status (loaded, loaded_with_rejects, failed, duplicate, or dry_run), counts and a message. Each file is isolated; failures are recorded, not raised. Raises FD001 (unknown job or run), FD011 (unsafe p_file), FD012 (p_file not waiting).';
