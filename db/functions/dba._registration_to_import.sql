-- dba._registration_to_import: the latest registration of a file in processing, if any.
CREATE OR REPLACE FUNCTION dba._registration_to_import(p_cfg dba.timportconfig, p_file_path text, p_run_uuid uuid)
RETURNS dba.tdataloads
LANGUAGE plpgsql
SET search_path = pg_catalog, pg_temp
AS $function$
/*
   Internal; dba.run_import() asks it for each file it holds the lock of:
     SELECT (dba._registration_to_import(c, c.processing_dir || '/report_7.txt', NULL)).status
       FROM dba.timportconfig c WHERE job_name = 'visitas';
   Only what the watcher vouched for is read: it lstat-checked the file (PostgreSQL follows
   links) and registered it (dba.register_file). Returns the latest server load of p_file_path
   that the runner has not moved yet; it decides (pending: import it; anything else: done,
   waiting to be archived or quarantined). With none, the file is left waiting unread: logged as
   a warning with the way out, and the row returned is all NULL. Raises nothing of its own.
*/
DECLARE
    v_load dba.tdataloads;
BEGIN
    SELECT * INTO v_load FROM dba.tdataloads d
     WHERE d.config_id = p_cfg.config_id AND d.file_path = p_file_path AND d.way_in = 'server'
       AND d.file_location IS NULL
     ORDER BY d.load_id DESC LIMIT 1;
    IF v_load.load_id IS NULL THEN
        PERFORM dba.log(p_run_uuid => p_run_uuid, p_process_type => 'run_import', p_level => 'warning',
                        p_message => format('%s left waiting, unread: no registration (only files feeds watch checked and registered are read); move it into %s and run feeds watch, or register it by hand (docs/operations.md)',
                                            p_file_path, p_cfg.inbox_dir));
    END IF;
    RETURN v_load;
END
$function$;

ALTER FUNCTION dba._registration_to_import(dba.timportconfig, text, uuid) OWNER TO feeds_owner;
REVOKE ALL ON FUNCTION dba._registration_to_import(dba.timportconfig, text, uuid) FROM PUBLIC;
COMMENT ON FUNCTION dba._registration_to_import(dba.timportconfig, text, uuid) IS
'Internal: the latest server load registered for a file in a job''s processing directory and not yet moved (all NULL, with a warning logged, when the file was never registered: it stays unread). dba.run_import''s registration step. Raises nothing of its own.';
