-- Deploy feeds:function_dba__report_failures to pg
-- Generated from db/functions/dba._report_failures.sql by bin/sync-functions: edit that file, not this one.
BEGIN;

-- dba._report_failures: the Failures part of a run's report.
CREATE OR REPLACE FUNCTION dba._report_failures(p_run_uuid uuid, p_job text, OUT body_text text, OUT body_html text)
LANGUAGE plpgsql
STABLE
SET search_path = pg_catalog, pg_temp
AS $function$
/*
   Internal; a part of the run report (dba.build_run_report):
     SELECT f.body_text FROM dba._report_failures('3f0c…'::uuid, NULL) f;
   Per failed load, in load order: job / file, its SQLSTATE, message and where the file lies now
   ('?', 'no message', 'unknown' when not known); as text lines and HTML list items (escaped);
   both NULL when no load failed.
*/
BEGIN
    SELECT string_agg(format(E'%s / %s: [%s] %s\n    file now at: %s', d.job_name, d.file_name,
                             coalesce(d.error_sqlstate, '?'), coalesce(d.error_message, 'no message'),
                             coalesce(d.file_location, d.file_path, 'unknown')), E'\n' ORDER BY d.load_id),
           string_agg(format('<li style="margin-bottom:6px"><strong>%s / %s</strong>: '
                             '<code style="background:#fdecea;padding:0 3px">%s</code> %s<br>'
                             '<span style="color:#555">file now at: %s</span></li>',
                             dba._html_escape(d.job_name), dba._html_escape(d.file_name),
                             dba._html_escape(coalesce(d.error_sqlstate, '?')),
                             dba._html_escape(coalesce(d.error_message, 'no message')),
                             dba._html_escape(coalesce(d.file_location, d.file_path, 'unknown'))),
                      '' ORDER BY d.load_id)
      INTO body_text, body_html
      FROM dba._report_loads(p_run_uuid, p_job) d
     WHERE d.status = 'failed';
END
$function$;

ALTER FUNCTION dba._report_failures(uuid, text) OWNER TO feeds_owner;
REVOKE ALL ON FUNCTION dba._report_failures(uuid, text) FROM PUBLIC;
COMMENT ON FUNCTION dba._report_failures(uuid, text) IS
'Internal part of the run report: the Failures list, text and HTML (escaped), per failed load of the run (or of job p_job in it) its SQLSTATE, message and where the file lies now; NULL when none failed. Raises nothing.';

COMMIT;
