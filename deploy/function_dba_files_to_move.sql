-- Deploy feeds:function_dba_files_to_move to pg
-- Generated from db/functions/dba.files_to_move.sql by bin/sync-functions: edit that file, not this one.
BEGIN;

-- dba.files_to_move: what the runner must archive or quarantine after a run committed.
CREATE OR REPLACE FUNCTION dba.files_to_move(p_run_uuid uuid DEFAULT NULL)
RETURNS TABLE (load_id bigint, status text, from_path text, to_dir text, reason text)
LANGUAGE sql
STABLE
SECURITY DEFINER
SET search_path = pg_catalog, pg_temp
AS $function$
/*
   From the runner, after dba.run_import() committed:
     SELECT * FROM dba.files_to_move('<run uuid>');   -- or NULL: every file not moved yet
   loaded, loaded_with_rejects, duplicate and undone files go to the job's archive_dir; failed
   files to its failed_dir, with reason for the .reason.txt beside them. Excel loads list the
   original workbook as well as the converted CSV. Then call dba.mark_moved() for each.
*/
SELECT d.load_id, d.status, f.path,
       CASE WHEN d.status = 'failed' THEN c.failed_dir ELSE c.archive_dir END,
       CASE WHEN d.status = 'failed' THEN concat_ws(E'\n',
                format('%s failed [%s] %s', d.file_name, d.error_sqlstate, d.error_message),
                (SELECT string_agg(e.message, E'\n' ORDER BY e.line_no NULLS FIRST, e.error_id)
                   FROM (SELECT * FROM dba.tloaderror e WHERE e.load_id = d.load_id ORDER BY e.line_no NULLS FIRST, e.error_id LIMIT 20) e))
            WHEN d.status = 'duplicate' THEN d.error_message END
  FROM dba.tdataloads d
  JOIN dba.timportconfig c ON c.config_id = d.config_id
 CROSS JOIN LATERAL (SELECT d.file_path AS path
                     UNION ALL
                     SELECT regexp_replace(d.file_path, '\.csv$', '')
                      WHERE dba._is_workbook_type(c.file_type) AND d.file_path ~ '\.csv$') f
 WHERE (p_run_uuid IS NULL OR d.run_uuid = p_run_uuid)
   AND d.way_in = 'server' AND d.file_path IS NOT NULL AND d.file_location IS NULL
   AND d.status IN ('loaded', 'loaded_with_rejects', 'duplicate', 'failed', 'undone')
   -- a later attempt of the same file decides where it goes
   AND NOT EXISTS (SELECT 1 FROM dba.tdataloads n
                    WHERE n.file_path = d.file_path AND n.load_id > d.load_id AND n.file_location IS NULL)
 ORDER BY d.load_id, f.path
$function$;

ALTER FUNCTION dba.files_to_move(uuid) OWNER TO feeds_owner;
REVOKE ALL ON FUNCTION dba.files_to_move(uuid) FROM PUBLIC;
GRANT EXECUTE ON FUNCTION dba.files_to_move(uuid) TO feeds_etl;
COMMENT ON FUNCTION dba.files_to_move(uuid) IS
'Lists the files of a run (or of every run, with NULL) that the runner must move now: to archive_dir when loaded, duplicate or undone, to failed_dir with a reason when failed. Raises nothing.';

COMMIT;
