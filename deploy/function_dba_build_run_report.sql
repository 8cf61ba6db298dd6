-- Deploy feeds:function_dba_build_run_report to pg
-- Generated from db/functions/dba.build_run_report.sql by bin/sync-functions: edit that file, not this one.
BEGIN;

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
*/
DECLARE
    v_run      dba.trun;
    v_files    bigint;
    v_failed   bigint;
    v_rejects  bigint;
    v_read     bigint;
    v_inserted bigint;
    v_updated  bigint;
    v_by_state text;
    v_status   text;
    v_counts   text;
    v_title    text;
    v_colour   text;
    v_jobw     integer;
    v_filew    integer;
    v_t_files  text;
    v_h_files  text;
    v_t_fail   text;
    v_h_fail   text;
    v_t_rej    text;
    v_h_rej    text;
    v_t_trend  text;
    v_h_trend  text;
    c_td CONSTANT text := 'padding:4px 8px;border-bottom:1px solid #ddd;text-align:left';
    c_num CONSTANT text := 'padding:4px 8px;border-bottom:1px solid #ddd;text-align:right';
    c_th CONSTANT text := 'padding:4px 8px;border-bottom:2px solid #999;text-align:left;background:#f3f3f3';
    c_h2 CONSTANT text := 'font-size:16px;margin:20px 0 6px 0;color:#333';
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

    -- Status line: failure beats rejects beats success; an empty run is a success with no files.
    SELECT count(*), count(*) FILTER (WHERE d.status = 'failed'),
           coalesce(sum(d.rows_rejected), 0), coalesce(sum(d.rows_read), 0),
           coalesce(sum(d.rows_inserted), 0), coalesce(sum(d.rows_updated), 0)
      INTO v_files, v_failed, v_rejects, v_read, v_inserted, v_updated
      FROM dba.tdataloads d
     WHERE (d.run_uuid = p_run_uuid OR d.reported_in = p_run_uuid) AND (p_job IS NULL OR d.job_name = p_job);
    SELECT string_agg(format('%s %s', s.n, replace(s.status, '_', ' ')), ', ' ORDER BY s.ord)
      INTO v_by_state
      FROM (SELECT d.status, count(*) AS n,
                   array_position(ARRAY['loaded', 'loaded_with_rejects', 'failed', 'duplicate',
                                        'pending', 'undone'], d.status) AS ord
              FROM dba.tdataloads d
             WHERE (d.run_uuid = p_run_uuid OR d.reported_in = p_run_uuid) AND (p_job IS NULL OR d.job_name = p_job)
             GROUP BY d.status) s;
    v_status := CASE WHEN v_failed > 0 THEN 'FAILURE'
                     WHEN v_rejects > 0 THEN 'success with rejects'
                     ELSE 'success' END;
    v_colour := CASE WHEN v_failed > 0 THEN '#c62828' WHEN v_rejects > 0 THEN '#ef6c00' ELSE '#2e7d32' END;
    v_counts := CASE WHEN v_files = 0 THEN 'no files'
                     ELSE format('%s %s (%s); rows: %s read, %s inserted, %s updated, %s rejected',
                                 v_files, CASE WHEN v_files = 1 THEN 'file' ELSE 'files' END, v_by_state,
                                 v_read, v_inserted, v_updated, v_rejects) END;
    v_title := format('Feeds run %s (%s)%s', v_run.as_of, v_run.process_type,
                      CASE WHEN p_job IS NULL THEN '' ELSE ', job ' || p_job END);
    -- Plain ASCII around the data: an encoded-word subject is folded differently by each client.
    subject := regexp_replace(
        format('[Feeds] %s: run %s%s - %s', v_status, v_run.as_of,
               CASE WHEN p_job IS NULL THEN '' ELSE ' job ' || p_job END,
               CASE WHEN v_files = 0 THEN 'no files'
                    ELSE format('%s %s, %s failed, %s rows loaded, %s rejected', v_files,
                                CASE WHEN v_files = 1 THEN 'file' ELSE 'files' END, v_failed,
                                v_inserted + v_updated, v_rejects) END),
        '[[:cntrl:]]+', ' ', 'g');

    -- One row per file.
    SELECT greatest(3, max(length(d.job_name))), greatest(4, max(length(d.file_name)))
      INTO v_jobw, v_filew
      FROM dba.tdataloads d
     WHERE (d.run_uuid = p_run_uuid OR d.reported_in = p_run_uuid) AND (p_job IS NULL OR d.job_name = p_job);
    SELECT format(E'%-*s  %-*s  %-19s  %8s  %8s  %8s  %8s  %9s\n', v_jobw, 'job', v_filew, 'file', 'status',
                  'read', 'inserted', 'updated', 'rejected', 'duration')
           || string_agg(format('%-*s  %-*s  %-19s  %8s  %8s  %8s  %8s  %9s', v_jobw, f.job_name, v_filew,
                                f.file_name, f.status, f.rows_read, f.rows_inserted, f.rows_updated,
                                f.rows_rejected, f.duration), E'\n' ORDER BY f.load_id),
           format('<table style="border-collapse:collapse;font-size:13px">'
                  '<tr><th style="%1$s">job</th><th style="%1$s">file</th><th style="%1$s">status</th>'
                  '<th style="%1$s">read</th><th style="%1$s">inserted</th><th style="%1$s">updated</th>'
                  '<th style="%1$s">rejected</th><th style="%1$s">duration</th></tr>', c_th)
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
      INTO v_t_files, v_h_files
      FROM (SELECT d.*, CASE WHEN d.finished_at IS NULL THEN '-'
                             ELSE round(extract(epoch FROM d.finished_at - d.started_at)::numeric, 1) || ' s'
                        END AS duration
              FROM dba.tdataloads d
             WHERE (d.run_uuid = p_run_uuid OR d.reported_in = p_run_uuid) AND (p_job IS NULL OR d.job_name = p_job)) f;

    -- Failures: SQLSTATE, message, and where the file lies now.
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
      INTO v_t_fail, v_h_fail
      FROM dba.tdataloads d
     WHERE (d.run_uuid = p_run_uuid OR d.reported_in = p_run_uuid) AND (p_job IS NULL OR d.job_name = p_job) AND d.status = 'failed';

    -- The five most frequent rejection reasons per job (rule and column, as messages usually name
    -- the line), each with one example message and three sample lines.
    SELECT string_agg(format(E'%s: %s× %s%s: %s%s', r.job_name, r.n, r.rule,
                             ', column ' || r.column_name, r.message,
                             (SELECT string_agg(E'\n    ' || s.file_name || ' line ' || coalesce(s.line_no::text, '?')
                                                || ': ' || coalesce(s.raw_line, s.raw_value, ''), '' ORDER BY s.ord)
                                FROM unnest(r.files, r.lines, r.raws, r.vals_raw) WITH ORDINALITY
                                     AS s(file_name, line_no, raw_line, raw_value, ord)
                               WHERE s.ord <= 3)),
                      E'\n' ORDER BY r.job_name, r.rn),
           string_agg(format('<li style="margin-bottom:6px"><strong>%s</strong>: %s× <code>%s</code>%s: %s'
                             '<pre style="margin:2px 0 0 0;padding:4px;background:#f6f6f6;font-size:12px">%s</pre></li>',
                             dba._html_escape(r.job_name), r.n, dba._html_escape(r.rule),
                             dba._html_escape(', column ' || r.column_name), dba._html_escape(r.message),
                             (SELECT string_agg(dba._html_escape(s.file_name || ' line ' || coalesce(s.line_no::text, '?')
                                                || ': ' || coalesce(s.raw_line, s.raw_value, '')), E'\n' ORDER BY s.ord)
                                FROM unnest(r.files, r.lines, r.raws, r.vals_raw) WITH ORDINALITY
                                     AS s(file_name, line_no, raw_line, raw_value, ord)
                               WHERE s.ord <= 3)),
                      '' ORDER BY r.job_name, r.rn)
      INTO v_t_rej, v_h_rej
      FROM (SELECT g.*, row_number() OVER (PARTITION BY g.job_name
                                           ORDER BY g.n DESC, g.rule, g.column_name NULLS FIRST) AS rn
              FROM (SELECT d.job_name, e.rule, e.column_name, count(*) AS n,
                           (array_agg(e.message ORDER BY d.load_id, e.line_no, e.error_id))[1] AS message,
                           array_agg(d.file_name ORDER BY d.load_id, e.line_no, e.error_id) AS files,
                           array_agg(e.line_no ORDER BY d.load_id, e.line_no, e.error_id) AS lines,
                           array_agg(e.raw_line ORDER BY d.load_id, e.line_no, e.error_id) AS raws,
                           array_agg(e.raw_value ORDER BY d.load_id, e.line_no, e.error_id) AS vals_raw
                      FROM dba.tdataloads d
                      JOIN dba.tloaderror e ON e.load_id = d.load_id
                     WHERE (d.run_uuid = p_run_uuid OR d.reported_in = p_run_uuid) AND (p_job IS NULL OR d.job_name = p_job)
                     GROUP BY d.job_name, e.rule, e.column_name) g) r
     WHERE r.rn <= 5;

    -- Rows loaded by each job's last 8 loads up to this run: a sparkline and an inline bar chart.
    SELECT string_agg(format('%-*s  %s  last %s loads: %s rows', v_jobw, t.job_name,
                             (SELECT string_agg(substr('▁▂▃▄▅▆▇█', 1 + CASE WHEN t.top = 0 THEN 0
                                                       ELSE round(v.n * 7.0 / t.top)::integer END, 1),
                                                '' ORDER BY v.ord)
                                FROM unnest(t.vals) WITH ORDINALITY AS v(n, ord)),
                             cardinality(t.vals), array_to_string(t.vals, ' ')), E'\n' ORDER BY t.job_name),
           string_agg(format('<tr><td style="%s;vertical-align:bottom">%s</td><td style="%s">'
                             '<table style="border-collapse:collapse"><tr>%s</tr></table></td></tr>',
                             c_td, dba._html_escape(t.job_name), c_td,
                             (SELECT string_agg(format('<td style="vertical-align:bottom;text-align:center;'
                                                       'padding:0 2px;font-size:10px;color:#555" title="%s rows">'
                                                       '<div style="width:22px;height:%spx;background:%s"></div>%s</td>',
                                                       v.n, greatest(1, CASE WHEN t.top = 0 THEN 0
                                                                             ELSE round(v.n * 40.0 / t.top)::integer END),
                                                       CASE WHEN v.status = 'failed' THEN '#c62828' ELSE '#1976d2' END,
                                                       v.n), '' ORDER BY v.ord)
                                FROM unnest(t.vals, t.states) WITH ORDINALITY AS v(n, status, ord))),
                      '' ORDER BY t.job_name)
      INTO v_t_trend, v_h_trend
      FROM (SELECT j.job_name, array_agg(h.n ORDER BY h.started_at, h.load_id) AS vals,
                   array_agg(h.status ORDER BY h.started_at, h.load_id) AS states, max(h.n) AS top
              FROM (SELECT d.job_name, max(d.started_at) AS last_started
                      FROM dba.tdataloads d
                     WHERE (d.run_uuid = p_run_uuid OR d.reported_in = p_run_uuid) AND (p_job IS NULL OR d.job_name = p_job)
                     GROUP BY d.job_name) j
              CROSS JOIN LATERAL (
                    SELECT x.load_id, x.started_at, x.status, x.rows_inserted + x.rows_updated AS n
                      FROM dba.tdataloads x
                     WHERE x.job_name = j.job_name AND x.started_at <= j.last_started
                       AND x.status IN ('loaded', 'loaded_with_rejects', 'failed')
                     ORDER BY x.started_at DESC, x.load_id DESC
                     LIMIT 8) h
             GROUP BY j.job_name) t;

    body_text := concat_ws(E'\n\n',
        v_title,
        format('Status: %s — %s.', v_status, v_counts),
        'Files' || E'\n' || v_t_files,
        'Failures' || E'\n' || v_t_fail,
        'Top rejection reasons' || E'\n' || v_t_rej,
        'Rows loaded, last 8 loads per job (oldest first)' || E'\n' || v_t_trend,
        -- No finish time: the runner queues the report inside the run, before dba.finish_run().
        format('Run %s, started %s by %s.', v_run.run_uuid,
               to_char(v_run.started_at AT TIME ZONE 'UTC', 'YYYY-MM-DD HH24:MI:SS "UTC"'), v_run.started_by)) || E'\n';

    body_html := concat(
        '<!DOCTYPE html><html><body style="margin:0;padding:16px;font-family:Arial,Helvetica,sans-serif;'
        'font-size:14px;color:#222;background:#ffffff">',
        format('<h1 style="font-size:20px;margin:0 0 10px 0">%s</h1>', dba._html_escape(v_title)),
        format('<p style="margin:0 0 12px 0;padding:8px 12px;border-left:6px solid %s;background:#f7f7f7">'
               '<strong style="color:%s">%s</strong> — %s.</p>',
               v_colour, v_colour, dba._html_escape(v_status), dba._html_escape(v_counts)),
        format('<h2 style="%s">Files</h2>', c_h2) || v_h_files,
        format('<h2 style="%s">Failures</h2><ul style="padding-left:18px">', c_h2) || v_h_fail || '</ul>',
        format('<h2 style="%s">Top rejection reasons</h2><ul style="padding-left:18px">', c_h2) || v_h_rej || '</ul>',
        format('<h2 style="%s">Rows loaded, last 8 loads per job (oldest first)</h2>'
               '<table style="border-collapse:collapse;font-size:13px">', c_h2) || v_h_trend || '</table>',
        format('<p style="margin-top:20px;font-size:12px;color:#777">Run %s, started %s by %s.</p>',
               dba._html_escape(v_run.run_uuid::text),
               dba._html_escape(to_char(v_run.started_at AT TIME ZONE 'UTC', 'YYYY-MM-DD HH24:MI:SS "UTC"')),
               dba._html_escape(v_run.started_by)),
        '</body></html>');
    RETURN NEXT;
END
$function$;

ALTER FUNCTION dba.build_run_report(uuid, text) OWNER TO feeds_owner;
REVOKE ALL ON FUNCTION dba.build_run_report(uuid, text) FROM PUBLIC;
GRANT EXECUTE ON FUNCTION dba.build_run_report(uuid, text) TO feeds_etl, feeds_reader;
COMMENT ON FUNCTION dba.build_run_report(uuid, text) IS
'Builds the report of one run (or of one job''s part of it with p_job) from dba.trun, dba.tdataloads, dba.tloaderror and dba.timportconfig: subject, plain text and HTML (inline styles, every data value escaped) with the status line, one row per file, failures with SQLSTATE and file location, the top rejection reasons (rule and column) with an example message and sample lines, and the rows loaded by each job''s last 8 loads. Writes nothing. Raises FD001 when the run or the job does not exist.';

COMMIT;
