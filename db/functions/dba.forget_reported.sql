-- dba.forget_reported: the watcher's reported files that are no longer in the inbox.
CREATE OR REPLACE FUNCTION dba.forget_reported(p_inbox text, p_present text[])
RETURNS integer
LANGUAGE sql
SECURITY DEFINER
SET search_path = pg_catalog, pg_temp
AS $function$
/*
   From the watcher, after listing an inbox:
     SELECT dba.forget_reported('/srv/feeds/in', ARRAY['notes.pdf', 'report_7.txt']);
   Forgets every reported file of the inbox that is not among p_present (taken or removed), so a
   file of that name arriving later is reported again. Returns how many. Raises nothing.
*/
WITH gone AS (
    DELETE FROM dba.twatcher_report w
     WHERE w.inbox_dir = p_inbox AND w.file_name <> ALL (coalesce(p_present, '{}'))
    RETURNING 1)
SELECT count(*)::integer FROM gone;
$function$;

ALTER FUNCTION dba.forget_reported(text, text[]) OWNER TO feeds_owner;
REVOKE ALL ON FUNCTION dba.forget_reported(text, text[]) FROM PUBLIC;
GRANT EXECUTE ON FUNCTION dba.forget_reported(text, text[]) TO feeds_etl;
COMMENT ON FUNCTION dba.forget_reported(text, text[]) IS
'For the watcher: forgets the reported files of an inbox that are no longer there (dba.twatcher_report), returns how many. Raises nothing.';
