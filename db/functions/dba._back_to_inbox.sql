-- dba._back_to_inbox: where a failed load's file goes back to, when it goes back at all.
CREATE OR REPLACE FUNCTION dba._back_to_inbox(p_load dba.tdataloads, p_cfg dba.timportconfig)
RETURNS text
LANGUAGE sql
IMMUTABLE
SET search_path = pg_catalog, pg_temp
AS $function$
/*
   Internal; read by dba.files_to_move() (column back_to) and dba.mark_moved():
     SELECT dba._back_to_inbox(d, c) FROM dba.tdataloads d JOIN dba.timportconfig c USING (config_id);
   A file that was not the registered one when the engine read it (FD016: replaced or still
   written after feeds watch registered it, or a link swapped in) goes back to the job's inbox
   under its delivered name, so the watcher takes the complete file again (settle check, lstat,
   a new registration) and it loads whole in a later run; the failed load keeps the reason.
   Every other load: NULL (archive or failed directory, as dba.files_to_move says).
*/
SELECT CASE WHEN p_load.status = 'failed' AND p_load.error_sqlstate = 'FD016'
            THEN rtrim(p_cfg.inbox_dir, '/') || '/' || p_load.file_name END
$function$;

ALTER FUNCTION dba._back_to_inbox(dba.tdataloads, dba.timportconfig) OWNER TO feeds_owner;
REVOKE ALL ON FUNCTION dba._back_to_inbox(dba.tdataloads, dba.timportconfig) FROM PUBLIC;
COMMENT ON FUNCTION dba._back_to_inbox(dba.tdataloads, dba.timportconfig) IS
'Internal: the path in the job''s inbox a failed load''s file goes back to (a file that was not the registered one when the engine read it, FD016), so that the complete file loads in a later run; NULL for every other load. Raises nothing.';
