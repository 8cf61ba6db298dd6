-- Deploy feeds:function_dba_report_once to pg
-- Generated from db/functions/dba.report_once.sql by bin/sync-functions: edit that file, not this one.
BEGIN;

-- dba.report_once: should the watcher report this file it leaves in the inbox (again)?
CREATE OR REPLACE FUNCTION dba.report_once(
    p_inbox     text,
    p_file_name text,
    p_size      bigint,
    p_mtime_ns  bigint,
    p_reason    text
) RETURNS boolean
LANGUAGE sql
SECURITY DEFINER
SET search_path = pg_catalog, pg_temp
AS $function$
/*
   From the watcher, for a file it leaves where it is:
     SELECT dba.report_once('/srv/feeds/in', 'notes.pdf', 1234, 1733000000000000000, 'no_job');
   true the first time, and again when the file changed (size or mtime) or is left for another
   reason; false while nothing changed. State: dba.twatcher_report. Raises nothing.
*/
WITH up AS (
    INSERT INTO dba.twatcher_report AS w (inbox_dir, file_name, file_size, mtime_ns, reason)
    VALUES (p_inbox, p_file_name, p_size, p_mtime_ns, p_reason)
    ON CONFLICT ON CONSTRAINT twatcher_report_pkey DO UPDATE
       SET file_size = excluded.file_size, mtime_ns = excluded.mtime_ns, reason = excluded.reason,
           reported_at = clock_timestamp()
     WHERE (w.file_size, w.mtime_ns, w.reason) IS DISTINCT FROM (excluded.file_size, excluded.mtime_ns, excluded.reason)
    RETURNING 1)
SELECT EXISTS (SELECT 1 FROM up);
$function$;

ALTER FUNCTION dba.report_once(text, text, bigint, bigint, text) OWNER TO feeds_owner;
REVOKE ALL ON FUNCTION dba.report_once(text, text, bigint, bigint, text) FROM PUBLIC;
GRANT EXECUTE ON FUNCTION dba.report_once(text, text, bigint, bigint, text) TO feeds_etl;
COMMENT ON FUNCTION dba.report_once(text, text, bigint, bigint, text) IS
'For the watcher: true when a file it leaves in an inbox must be reported (first time, changed size or mtime, another reason), false when it was already reported as it is; keeps dba.twatcher_report. Raises nothing.';

COMMIT;
