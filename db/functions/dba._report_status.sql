-- dba._report_status: the subject, title and status line of a run's report.
CREATE OR REPLACE FUNCTION dba._report_status(p_run dba.trun, p_job text,
                                              OUT subject text, OUT title text, OUT verdict text,
                                              OUT colour text, OUT counts text)
LANGUAGE plpgsql
STABLE
SET search_path = pg_catalog, pg_temp
AS $function$
/*
   Internal; the first part of the run report (dba.build_run_report):
     SELECT s.* FROM dba.trun r, dba._report_status(r, NULL) s WHERE r.run_uuid = '3f0c…';
   verdict: failure beats rejects beats success (FAILURE, success with rejects, success), colour
   its colour; an empty run is a success with no files. counts: files by status and rows read,
   inserted, updated, rejected. subject: plain ASCII around the data (an encoded-word subject is
   folded differently by each client), control characters made spaces.
*/
DECLARE
    v_files    bigint;
    v_failed   bigint;
    v_rejects  bigint;
    v_read     bigint;
    v_inserted bigint;
    v_updated  bigint;
    v_by_state text;
BEGIN
    SELECT count(*), count(*) FILTER (WHERE d.status = 'failed'),
           coalesce(sum(d.rows_rejected), 0), coalesce(sum(d.rows_read), 0),
           coalesce(sum(d.rows_inserted), 0), coalesce(sum(d.rows_updated), 0)
      INTO v_files, v_failed, v_rejects, v_read, v_inserted, v_updated
      FROM dba._report_loads(p_run.run_uuid, p_job) d;
    SELECT string_agg(format('%s %s', s.n, replace(s.status, '_', ' ')), ', ' ORDER BY s.ord)
      INTO v_by_state
      FROM (SELECT d.status, count(*) AS n,
                   array_position(ARRAY['loaded', 'loaded_with_rejects', 'failed', 'duplicate',
                                        'pending', 'undone'], d.status) AS ord
              FROM dba._report_loads(p_run.run_uuid, p_job) d
             GROUP BY d.status) s;
    verdict := CASE WHEN v_failed > 0 THEN 'FAILURE'
                    WHEN v_rejects > 0 THEN 'success with rejects'
                    ELSE 'success' END;
    colour := CASE WHEN v_failed > 0 THEN '#c62828' WHEN v_rejects > 0 THEN '#ef6c00' ELSE '#2e7d32' END;
    counts := CASE WHEN v_files = 0 THEN 'no files'
                   ELSE format('%s %s (%s); rows: %s read, %s inserted, %s updated, %s rejected',
                               v_files, CASE WHEN v_files = 1 THEN 'file' ELSE 'files' END, v_by_state,
                               v_read, v_inserted, v_updated, v_rejects) END;
    title := format('Feeds run %s (%s)%s', p_run.as_of, p_run.process_type,
                    CASE WHEN p_job IS NULL THEN '' ELSE ', job ' || p_job END);
    subject := regexp_replace(
        format('[Feeds] %s: run %s%s - %s', verdict, p_run.as_of,
               CASE WHEN p_job IS NULL THEN '' ELSE ' job ' || p_job END,
               CASE WHEN v_files = 0 THEN 'no files'
                    ELSE format('%s %s, %s failed, %s rows loaded, %s rejected', v_files,
                                CASE WHEN v_files = 1 THEN 'file' ELSE 'files' END, v_failed,
                                v_inserted + v_updated, v_rejects) END),
        '[[:cntrl:]]+', ' ', 'g');
END
$function$;

ALTER FUNCTION dba._report_status(dba.trun, text) OWNER TO feeds_owner;
REVOKE ALL ON FUNCTION dba._report_status(dba.trun, text) FROM PUBLIC;
COMMENT ON FUNCTION dba._report_status(dba.trun, text) IS
'Internal part of the run report: its subject (plain ASCII, counts), title, verdict (FAILURE, success with rejects, success) with its colour, and the counts of files by status and of rows, for the run or job p_job''s part of it. Raises nothing.';
