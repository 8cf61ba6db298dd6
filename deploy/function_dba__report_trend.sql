-- Deploy feeds:function_dba__report_trend to pg
-- Generated from db/functions/dba._report_trend.sql by bin/sync-functions: edit that file, not this one.
BEGIN;

-- dba._report_trend: the "Rows loaded, last 8 loads per job" part of a run's report.
CREATE OR REPLACE FUNCTION dba._report_trend(p_run_uuid uuid, p_job text, p_job_width integer,
                                             OUT body_text text, OUT body_html text)
LANGUAGE plpgsql
STABLE
SET search_path = pg_catalog, pg_temp
AS $function$
/*
   Internal; a part of the run report (dba.build_run_report), which gives the width of the job
   column (the Files part shares it):
     SELECT t.body_text FROM dba._report_trend('3f0c…'::uuid, NULL, 12) t;
   Per job of the report, the rows inserted + updated by its last 8 loaded or failed loads up to
   its last load in the report (of any run), oldest first: a text sparkline ▁…█ scaled to the
   largest, and HTML table rows of bars 1 to 40 px high (failed loads red); NULL without loads.
*/
DECLARE
    c_td CONSTANT text := dba._report_style('td');
BEGIN
    SELECT string_agg(format('%-*s  %s  last %s loads: %s rows', p_job_width, t.job_name,
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
      INTO body_text, body_html
      FROM (SELECT j.job_name, array_agg(h.n ORDER BY h.started_at, h.load_id) AS vals,
                   array_agg(h.status ORDER BY h.started_at, h.load_id) AS states, max(h.n) AS top
              FROM (SELECT d.job_name, max(d.started_at) AS last_started
                      FROM dba._report_loads(p_run_uuid, p_job) d
                     GROUP BY d.job_name) j
              CROSS JOIN LATERAL (
                    SELECT x.load_id, x.started_at, x.status, x.rows_inserted + x.rows_updated AS n
                      FROM dba.tdataloads x
                     WHERE x.job_name = j.job_name AND x.started_at <= j.last_started
                       AND x.status IN ('loaded', 'loaded_with_rejects', 'failed')
                     ORDER BY x.started_at DESC, x.load_id DESC
                     LIMIT 8) h
             GROUP BY j.job_name) t;
END
$function$;

ALTER FUNCTION dba._report_trend(uuid, text, integer) OWNER TO feeds_owner;
REVOKE ALL ON FUNCTION dba._report_trend(uuid, text, integer) FROM PUBLIC;
COMMENT ON FUNCTION dba._report_trend(uuid, text, integer) IS
'Internal part of the run report: per job of the run (or job p_job), the rows loaded by its last 8 loaded or failed loads up to this run, oldest first, as a text sparkline and HTML bars (failed loads red); NULL without loads. Raises nothing.';

COMMIT;
