-- dba.inbox_takes: may the watcher take a file of this job from this inbox, and for which client.
-- requires: table_dba_tclient
CREATE OR REPLACE FUNCTION dba.inbox_takes(p_job text, p_inbox text, p_inbox_real text DEFAULT NULL)
RETURNS TABLE (takes boolean, client_name text, job_inbox text)
LANGUAGE sql
STABLE
SECURITY DEFINER
SET search_path = pg_catalog, pg_temp
AS $function$
/*
   From the watcher, for a file in inbox p_inbox (as dba.watched_inboxes() names it; p_inbox_real
   its real path, symlinks resolved) that dba.match_config() gave to job p_job:
     SELECT * FROM dba.inbox_takes('visitas', '/srv/feeds/file_watcher/visitas', '/data/in/visitas');
   takes: the inbox is the job's inbox_dir (either path, trailing slashes aside), or the upload
   directory of a client (dba.tclient) who may deliver for the job; client_name is that client
   (NULL for the job's own inbox). When takes is false the file belongs to another inbox
   (job_inbox) and stays where it is. No row: no such job.
*/
    SELECT coalesce(mine.yes, false) OR cl.client_name IS NOT NULL,
           CASE WHEN coalesce(mine.yes, false) THEN NULL ELSE cl.client_name END,
           c.inbox_dir
      FROM dba.timportconfig c
     CROSS JOIN LATERAL (SELECT rtrim(c.inbox_dir, '/') IN (rtrim(p_inbox, '/'), rtrim(p_inbox_real, '/')) AS yes) mine
      LEFT JOIN LATERAL (SELECT t.client_name FROM dba.tclient t
                          WHERE rtrim(t.inbox_dir, '/') IN (rtrim(p_inbox, '/'), rtrim(p_inbox_real, '/'))
                            AND (t.job_name IS NULL OR t.job_name = c.job_name)
                          ORDER BY t.inbox_dir = p_inbox DESC LIMIT 1) cl ON true
     WHERE c.job_name = p_job;
$function$;

ALTER FUNCTION dba.inbox_takes(text, text, text) OWNER TO feeds_owner;
REVOKE ALL ON FUNCTION dba.inbox_takes(text, text, text) FROM PUBLIC;
GRANT EXECUTE ON FUNCTION dba.inbox_takes(text, text, text) TO feeds_etl;
COMMENT ON FUNCTION dba.inbox_takes(text, text, text) IS
'Whether the watcher may take a file of job p_job from inbox p_inbox (p_inbox_real: its real path): takes is true for the job''s own inbox_dir or the upload directory of a client who may deliver for the job (client_name, NULL for the job''s inbox); job_inbox names the job''s inbox. No row for an unknown job. Raises nothing of its own.';
