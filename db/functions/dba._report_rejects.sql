-- dba._report_rejects: the Top rejection reasons part of a run's report.
CREATE OR REPLACE FUNCTION dba._report_rejects(p_run_uuid uuid, p_job text, OUT body_text text, OUT body_html text)
LANGUAGE plpgsql
STABLE
SET search_path = pg_catalog, pg_temp
AS $function$
/*
   Internal; a part of the run report (dba.build_run_report):
     SELECT r.body_text FROM dba._report_rejects('3f0c…'::uuid, 'visitas') r;
   The five most frequent rejection reasons per job (rule and column, as messages usually name
   the line; ties by rule, then column, no column first), each with its count, the first message
   as an example and three sample lines (file line N: raw line, else the raw value), in load and
   line order; as text and HTML list items (escaped); both NULL when no row was rejected.
*/
BEGIN
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
      INTO body_text, body_html
      FROM (SELECT g.*, row_number() OVER (PARTITION BY g.job_name
                                           ORDER BY g.n DESC, g.rule, g.column_name NULLS FIRST) AS rn
              FROM (SELECT d.job_name, e.rule, e.column_name, count(*) AS n,
                           (array_agg(e.message ORDER BY d.load_id, e.line_no, e.error_id))[1] AS message,
                           array_agg(d.file_name ORDER BY d.load_id, e.line_no, e.error_id) AS files,
                           array_agg(e.line_no ORDER BY d.load_id, e.line_no, e.error_id) AS lines,
                           array_agg(e.raw_line ORDER BY d.load_id, e.line_no, e.error_id) AS raws,
                           array_agg(e.raw_value ORDER BY d.load_id, e.line_no, e.error_id) AS vals_raw
                      FROM dba._report_loads(p_run_uuid, p_job) d
                      JOIN dba.tloaderror e ON e.load_id = d.load_id
                     GROUP BY d.job_name, e.rule, e.column_name) g) r
     WHERE r.rn <= 5;
END
$function$;

ALTER FUNCTION dba._report_rejects(uuid, text) OWNER TO feeds_owner;
REVOKE ALL ON FUNCTION dba._report_rejects(uuid, text) FROM PUBLIC;
COMMENT ON FUNCTION dba._report_rejects(uuid, text) IS
'Internal part of the run report: the five most frequent rejection reasons (rule and column) per job of the run (or of job p_job in it), each with its count, an example message and three sample lines, text and HTML (escaped); NULL when no row was rejected. Raises nothing.';
