-- dba.build_run_report: subject, plain text and HTML of one run's report, built from the audit tables.
CREATE OR REPLACE FUNCTION dba.build_run_report(
    p_run_uuid uuid,
    p_job      text DEFAULT NULL
) RETURNS TABLE (subject text, body_text text, body_html text)
LANGUAGE plpgsql
STABLE
SECURITY DEFINER
SET search_path = pg_catalog, pg_temp
AS $function$
/*
   From psql:
     SELECT subject, body_text FROM dba.build_run_report('3f0c…'::uuid);            -- whole run
     \pset format unaligned
     SELECT body_text FROM dba.build_run_report('3f0c…'::uuid, p_job => 'visitas');  -- one job
   Nothing is written; dba.queue_run_report() puts the result in dba.temailoutbox.
   Each part is a step over the loads the report covers (dba._report_loads): the subject and
   status line (dba._report_status), Files (dba._report_files), Failures (dba._report_failures),
   Top rejection reasons (dba._report_rejects), the trend (dba._report_trend); this function
   checks its arguments and puts the parts together, as text and as HTML.
*/
DECLARE
    v_run     dba.trun;
    v_status  record;
    v_jobw    integer;
    v_files   record;
    v_fail    record;
    v_rej     record;
    v_trend   record;
    v_started text;
    c_h2 CONSTANT text := dba._report_style('h2');
BEGIN
    SELECT * INTO v_run FROM dba.trun WHERE run_uuid = p_run_uuid;
    IF NOT FOUND THEN
        RAISE EXCEPTION 'run % does not exist', p_run_uuid
              USING ERRCODE = 'FD001', HINT = 'Runs are listed in dba.trun.';
    END IF;
    IF p_job IS NOT NULL
       AND NOT EXISTS (SELECT 1 FROM dba.timportconfig c WHERE c.job_name = p_job)
       AND NOT EXISTS (SELECT 1 FROM dba.tdataloads d WHERE d.job_name = p_job) THEN
        RAISE EXCEPTION 'job "%" does not exist', p_job
              USING ERRCODE = 'FD001', HINT = 'Jobs are listed in dba.timportconfig.';
    END IF;

    -- The parts, each a step; the job column is as wide in the trend as in the file table.
    v_status := dba._report_status(v_run, p_job);
    SELECT greatest(3, max(length(d.job_name))) INTO v_jobw FROM dba._report_loads(p_run_uuid, p_job) d;
    v_files := dba._report_files(p_run_uuid, p_job, v_jobw);
    v_fail := dba._report_failures(p_run_uuid, p_job);
    v_rej := dba._report_rejects(p_run_uuid, p_job);
    v_trend := dba._report_trend(p_run_uuid, p_job, v_jobw);
    -- No finish time: the runner queues the report inside the run, before dba.finish_run().
    v_started := to_char(v_run.started_at AT TIME ZONE 'UTC', 'YYYY-MM-DD HH24:MI:SS "UTC"');

    -- A part without content (its step gives NULL) is left out, heading and all.
    subject := v_status.subject;
    body_text := concat_ws(E'\n\n',
        v_status.title,
        format('Status: %s — %s.', v_status.verdict, v_status.counts),
        'Files' || E'\n' || v_files.body_text,
        'Failures' || E'\n' || v_fail.body_text,
        'Top rejection reasons' || E'\n' || v_rej.body_text,
        'Rows loaded, last 8 loads per job (oldest first)' || E'\n' || v_trend.body_text,
        format('Run %s, started %s by %s.', v_run.run_uuid, v_started, v_run.started_by)) || E'\n';
    body_html := concat(
        '<!DOCTYPE html><html><body style="margin:0;padding:16px;font-family:Arial,Helvetica,sans-serif;'
        'font-size:14px;color:#222;background:#ffffff">',
        format('<h1 style="font-size:20px;margin:0 0 10px 0">%s</h1>', dba._html_escape(v_status.title)),
        format('<p style="margin:0 0 12px 0;padding:8px 12px;border-left:6px solid %s;background:#f7f7f7">'
               '<strong style="color:%s">%s</strong> — %s.</p>', v_status.colour, v_status.colour,
               dba._html_escape(v_status.verdict), dba._html_escape(v_status.counts)),
        format('<h2 style="%s">Files</h2>', c_h2) || v_files.body_html,
        format('<h2 style="%s">Failures</h2><ul style="padding-left:18px">', c_h2) || v_fail.body_html || '</ul>',
        format('<h2 style="%s">Top rejection reasons</h2><ul style="padding-left:18px">', c_h2) || v_rej.body_html || '</ul>',
        format('<h2 style="%s">Rows loaded, last 8 loads per job (oldest first)</h2>'
               '<table style="border-collapse:collapse;font-size:13px">', c_h2) || v_trend.body_html || '</table>',
        format('<p style="margin-top:20px;font-size:12px;color:#777">Run %s, started %s by %s.</p>',
               dba._html_escape(v_run.run_uuid::text), dba._html_escape(v_started), dba._html_escape(v_run.started_by)),
        '</body></html>');
    RETURN NEXT;
END
$function$;

ALTER FUNCTION dba.build_run_report(uuid, text) OWNER TO feeds_owner;
REVOKE ALL ON FUNCTION dba.build_run_report(uuid, text) FROM PUBLIC;
GRANT EXECUTE ON FUNCTION dba.build_run_report(uuid, text) TO feeds_etl, feeds_reader;
COMMENT ON FUNCTION dba.build_run_report(uuid, text) IS
'Builds the report of one run (or of one job''s part of it with p_job) from dba.trun, dba.tdataloads, dba.tloaderror and dba.timportconfig: subject, plain text and HTML (inline styles, every data value escaped) with the status line, one row per file, failures with SQLSTATE and file location, the top rejection reasons (rule and column) with an example message and sample lines, and the rows loaded by each job''s last 8 loads. Writes nothing. Raises FD001 when the run or the job does not exist.';
