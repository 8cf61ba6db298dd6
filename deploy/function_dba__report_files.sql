-- Deploy feeds:function_dba__report_files to pg
-- Generated from db/functions/dba._report_files.sql by bin/sync-functions: edit that file, not this one.
BEGIN;

-- dba._report_files: the Files part of a run's report, one row per load.
CREATE OR REPLACE FUNCTION dba._report_files(p_run_uuid uuid, p_job text, p_job_width integer,
                                             OUT body_text text, OUT body_html text)
LANGUAGE plpgsql
STABLE
SET search_path = pg_catalog, pg_temp
AS $function$
/*
   Internal; a part of the run report (dba.build_run_report), which gives the width of the job
   column (the trend part shares it):
     SELECT f.body_text FROM dba._report_files('3f0c…'::uuid, NULL, 12) f;
   A text table (job, file, status, rows read, inserted, updated, rejected, duration; the file
   column as wide as the longest name) and an HTML table with the status in its colour, in load
   order; both NULL when the report covers no load. Every data value in the HTML is escaped.
*/
DECLARE
    v_filew integer;
    c_td  CONSTANT text := dba._report_style('td');
    c_num CONSTANT text := dba._report_style('num');
BEGIN
    SELECT greatest(4, max(length(d.file_name))) INTO v_filew FROM dba._report_loads(p_run_uuid, p_job) d;
    SELECT format(E'%-*s  %-*s  %-19s  %8s  %8s  %8s  %8s  %9s\n', p_job_width, 'job', v_filew, 'file', 'status',
                  'read', 'inserted', 'updated', 'rejected', 'duration')
           || string_agg(format('%-*s  %-*s  %-19s  %8s  %8s  %8s  %8s  %9s', p_job_width, f.job_name, v_filew,
                                f.file_name, f.status, f.rows_read, f.rows_inserted, f.rows_updated,
                                f.rows_rejected, f.duration), E'\n' ORDER BY f.load_id),
           format('<table style="border-collapse:collapse;font-size:13px">'
                  '<tr><th style="%1$s">job</th><th style="%1$s">file</th><th style="%1$s">status</th>'
                  '<th style="%1$s">read</th><th style="%1$s">inserted</th><th style="%1$s">updated</th>'
                  '<th style="%1$s">rejected</th><th style="%1$s">duration</th></tr>', dba._report_style('th'))
           || string_agg(format('<tr><td style="%s">%s</td><td style="%s">%s</td>'
                                '<td style="%s;color:%s;font-weight:bold">%s</td><td style="%s">%s</td>'
                                '<td style="%s">%s</td><td style="%s">%s</td><td style="%s">%s</td>'
                                '<td style="%s">%s</td></tr>',
                                c_td, dba._html_escape(f.job_name), c_td, dba._html_escape(f.file_name),
                                c_td, CASE f.status WHEN 'failed' THEN '#c62828'
                                                    WHEN 'loaded_with_rejects' THEN '#ef6c00'
                                                    WHEN 'loaded' THEN '#2e7d32' ELSE '#555' END,
                                dba._html_escape(f.status), c_num, f.rows_read, c_num, f.rows_inserted,
                                c_num, f.rows_updated, c_num, f.rows_rejected,
                                c_num, dba._html_escape(f.duration)), '' ORDER BY f.load_id)
           || '</table>'
      INTO body_text, body_html
      FROM (SELECT d.*, CASE WHEN d.finished_at IS NULL THEN '-'
                             ELSE round(extract(epoch FROM d.finished_at - d.started_at)::numeric, 1) || ' s'
                        END AS duration
              FROM dba._report_loads(p_run_uuid, p_job) d) f;
END
$function$;

ALTER FUNCTION dba._report_files(uuid, text, integer) OWNER TO feeds_owner;
REVOKE ALL ON FUNCTION dba._report_files(uuid, text, integer) FROM PUBLIC;
COMMENT ON FUNCTION dba._report_files(uuid, text, integer) IS
'Internal part of the run report: the Files table, text and HTML (escaped), one row per load of the run (or of job p_job in it) with job, file, status, rows read, inserted, updated, rejected and duration; NULL when there is no load. Raises nothing.';

COMMIT;
