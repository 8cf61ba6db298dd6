-- Deploy feeds:function_visitas_files_to_archive to pg
-- Generated from db/functions/visitas.files_to_archive.sql by bin/sync-functions: edit that file, not this one.
BEGIN;

-- visitas.files_to_archive: the files `feeds visitas run` archives or quarantines for one job.
-- requires: function_dba_files_to_move
CREATE OR REPLACE FUNCTION visitas.files_to_archive(p_job text DEFAULT 'visitas')
RETURNS TABLE (load_id bigint, status text, from_path text, to_dir text, reason text)
LANGUAGE sql
STABLE
SECURITY DEFINER
SET search_path = pg_catalog, pg_temp
AS $function$
/*
   From the Visitas shim, after dba.run_import() committed:
     SELECT * FROM visitas.files_to_archive('visitas');
   dba.files_to_move(NULL) (every file not moved yet, of this run and of earlier runs that
   stopped half-way) restricted to the files lying in the job's processing directory.
*/
SELECT f.load_id, f.status, f.from_path, f.to_dir, f.reason
  FROM dba.files_to_move(NULL) f
  JOIN dba.timportconfig c ON c.job_name = p_job
 WHERE starts_with(f.from_path, rtrim(c.processing_dir, '/') || '/')
 ORDER BY f.load_id, f.from_path;
$function$;

ALTER FUNCTION visitas.files_to_archive(text) OWNER TO feeds_owner;
REVOKE ALL ON FUNCTION visitas.files_to_archive(text) FROM PUBLIC;
GRANT EXECUTE ON FUNCTION visitas.files_to_archive(text) TO feeds_etl;
COMMENT ON FUNCTION visitas.files_to_archive(text) IS
'The files of the job (default visitas) that feeds visitas run must archive (one zip) or quarantine: dba.files_to_move(NULL) restricted to the job''s processing directory. Raises nothing.';

COMMIT;
