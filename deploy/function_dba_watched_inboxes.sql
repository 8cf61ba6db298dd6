-- Deploy feeds:function_dba_watched_inboxes to pg
-- Generated from db/functions/dba.watched_inboxes.sql by bin/sync-functions: edit that file, not this one.
BEGIN;

-- dba.watched_inboxes: the directories the watcher takes files from.
CREATE OR REPLACE FUNCTION dba.watched_inboxes()
RETURNS TABLE (inbox_dir text, client_name text)
LANGUAGE sql
STABLE
SECURITY DEFINER
SET search_path = pg_catalog, pg_temp
AS $function$
/*
   From psql:
     SELECT * FROM dba.watched_inboxes();
   The inbox of every enabled job (client_name NULL), then the upload directory of every client
   (dba.tclient) whose job is enabled or who may upload for any job.
*/
    SELECT DISTINCT c.inbox_dir, NULL::text FROM dba.timportconfig c WHERE c.enabled
    UNION
    SELECT t.inbox_dir, t.client_name FROM dba.tclient t
     WHERE t.job_name IS NULL
        OR EXISTS (SELECT 1 FROM dba.timportconfig c WHERE c.job_name = t.job_name AND c.enabled)
    ORDER BY 2 NULLS FIRST, 1;
$function$;

ALTER FUNCTION dba.watched_inboxes() OWNER TO feeds_owner;
REVOKE ALL ON FUNCTION dba.watched_inboxes() FROM PUBLIC;
GRANT EXECUTE ON FUNCTION dba.watched_inboxes() TO feeds_etl;
COMMENT ON FUNCTION dba.watched_inboxes() IS
'The watcher''s inboxes: every enabled job''s inbox_dir (client_name NULL) and every client''s upload directory (dba.tclient). Raises nothing of its own.';

COMMIT;
