-- dba._report_rejects_csv: the rejected rows of a run (or of one job's part of it) as CSV text.
CREATE OR REPLACE FUNCTION dba._report_rejects_csv(
    p_run_uuid uuid,
    p_job      text DEFAULT NULL
) RETURNS text
LANGUAGE plpgsql
STABLE
SET search_path = pg_catalog, pg_temp
AS $function$
/*
   From psql (as feeds_owner):
     SELECT dba._report_rejects_csv('3f0c…'::uuid, 'visitas');
   One line per rejected row and broken rule, with a header line; NULL when nothing was rejected.
   The loads are the run's own and those its report tells for an earlier run (reported_in).
*/
BEGIN
RETURN (SELECT 'job,file,load_id,line_no,column_name,rule,message,raw_value,raw_line' || E'\r\n'
       || string_agg(concat_ws(',', dba._report_csv_field(d.job_name), dba._report_csv_field(d.file_name),
                               d.load_id, coalesce(e.line_no::text, ''), dba._report_csv_field(e.column_name),
                               dba._report_csv_field(e.rule), dba._report_csv_field(e.message),
                               dba._report_csv_field(e.raw_value), dba._report_csv_field(e.raw_line)) || E'\r\n',
                     '' ORDER BY d.load_id, e.line_no, e.error_id)
  FROM dba.tdataloads d
  JOIN dba.tloaderror e ON e.load_id = d.load_id
 WHERE (d.run_uuid = p_run_uuid OR d.reported_in = p_run_uuid) AND (p_job IS NULL OR d.job_name = p_job)
HAVING count(*) > 0);
END
$function$;

ALTER FUNCTION dba._report_rejects_csv(uuid, text) OWNER TO feeds_owner;
REVOKE ALL ON FUNCTION dba._report_rejects_csv(uuid, text) FROM PUBLIC;
COMMENT ON FUNCTION dba._report_rejects_csv(uuid, text) IS
'Internal: the rejected rows (dba.tloaderror) of a run, or of one job''s part of it, as RFC 4180 CSV with a header line; NULL when nothing was rejected. Raises nothing.';
