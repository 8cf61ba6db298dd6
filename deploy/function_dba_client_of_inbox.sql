-- Deploy feeds:function_dba_client_of_inbox to pg
-- Generated from db/functions/dba.client_of_inbox.sql by bin/sync-functions: edit that file, not this one.
BEGIN;

-- dba.client_of_inbox: the client whose upload directory this is, when it may deliver for the job.
CREATE OR REPLACE FUNCTION dba.client_of_inbox(p_inbox text, p_job text)
RETURNS text
LANGUAGE sql
STABLE
SECURITY DEFINER
SET search_path = pg_catalog, pg_temp
AS $function$
/*
   From psql (the watcher asks this for a file in a directory that is not the job's inbox):
     SELECT dba.client_of_inbox('/srv/sftp/vinkos/upload', 'visitas');   -- 'vinkos' or NULL
*/
    SELECT t.client_name FROM dba.tclient t
     WHERE t.inbox_dir = p_inbox AND (t.job_name IS NULL OR t.job_name = p_job);
$function$;

ALTER FUNCTION dba.client_of_inbox(text, text) OWNER TO feeds_owner;
REVOKE ALL ON FUNCTION dba.client_of_inbox(text, text) FROM PUBLIC;
GRANT EXECUTE ON FUNCTION dba.client_of_inbox(text, text) TO feeds_etl;
COMMENT ON FUNCTION dba.client_of_inbox(text, text) IS
'The client (dba.tclient) whose upload directory p_inbox is, when it may deliver files of job p_job; NULL otherwise. Raises nothing of its own.';

COMMIT;
