-- dba.queue_run_report: put a run's report mails in dba.temailoutbox, in the caller's transaction.
CREATE OR REPLACE FUNCTION dba.queue_run_report(
    p_run_uuid uuid,
    p_admin    text[]
) RETURNS SETOF dba.temailoutbox
LANGUAGE plpgsql
SECURITY DEFINER
SET search_path = pg_catalog, pg_temp
AS $function$
/*
   From psql (or at the end of the runner's transaction, so the report exists exactly when the
   run's results do):
     SELECT mail_id, job_name, recipients, subject
       FROM dba.queue_run_report('3f0c…'::uuid, ARRAY['etl-admin@example.com']);
   The admin addresses get the whole run; each job with report_recipients that has files in the
   run gets a mail about only its own files. Rejected rows go along as a CSV attachment.
   The report tells the run's loads and those of earlier `feeds run`s that no report told yet
   (dba.tdataloads.reported_in). Calling it again for the same run queues nothing new and
   returns the run's mails.
*/
DECLARE
    c_address CONSTANT text := '^[^@[:space:][:cntrl:]<>(),;:"\[\]]+@[A-Za-z0-9]([A-Za-z0-9.-]*[A-Za-z0-9])?$';
    v_as_of   date;
    v_bad     text;
    v_job     text;
BEGIN
    SELECT r.as_of INTO v_as_of FROM dba.trun r WHERE r.run_uuid = p_run_uuid;
    IF NOT FOUND THEN
        RAISE EXCEPTION 'run % does not exist', p_run_uuid
              USING ERRCODE = 'FD001', HINT = 'Runs are listed in dba.trun.';
    END IF;

    -- Which loads this report tells: the run's own, and every load of an earlier `feeds run` whose
    -- outcome no report told yet (that run was killed before its report).
    UPDATE dba.tdataloads d SET reported_in = p_run_uuid
     WHERE d.reported_in IS NULL AND d.status <> 'pending'
       AND (d.run_uuid = p_run_uuid
            OR d.run_uuid IN (SELECT r.run_uuid FROM dba.trun r WHERE r.process_type = 'feeds_run'));

    -- Every address must be usable before anything is queued.
    SELECT a INTO v_bad FROM unnest(p_admin) a WHERE a IS NULL OR a !~ c_address LIMIT 1;
    IF FOUND THEN
        RAISE EXCEPTION 'admin address "%" is not an e-mail address', v_bad
              USING ERRCODE = 'FD070', HINT = 'Pass plain addresses like ARRAY[''etl-admin@example.com''].';
    END IF;
    SELECT c.job_name, a INTO v_job, v_bad
      FROM dba.timportconfig c CROSS JOIN LATERAL unnest(c.report_recipients) a
     WHERE c.job_name IN (SELECT d.job_name FROM dba.tdataloads d WHERE (d.run_uuid = p_run_uuid OR d.reported_in = p_run_uuid))
       AND (a IS NULL OR a !~ c_address)
     LIMIT 1;
    IF FOUND THEN
        RAISE EXCEPTION 'report recipient "%" of job "%" is not an e-mail address', v_bad, v_job
              USING ERRCODE = 'FD070', HINT = 'Correct dba.timportconfig.report_recipients of the job.';
    END IF;

    -- The whole run to the admin addresses.
    IF cardinality(p_admin) > 0 THEN
        INSERT INTO dba.temailoutbox (run_uuid, job_name, recipients, subject, body_text, body_html,
                                      attachment_name, attachment_csv)
        SELECT p_run_uuid, NULL, (SELECT array_agg(DISTINCT a) FROM unnest(p_admin) a),
               b.subject, b.body_text, b.body_html,
               CASE WHEN x.csv IS NOT NULL THEN format('rejected_rows_%s.csv', to_char(v_as_of, 'YYYYMMDD')) END,
               x.csv
          FROM dba.build_run_report(p_run_uuid) b
         CROSS JOIN LATERAL (SELECT dba._report_rejects_csv(p_run_uuid) AS csv) x
        ON CONFLICT (run_uuid, job_name) DO NOTHING;
    END IF;

    -- Each job with its own recipients sees only its own files.
    INSERT INTO dba.temailoutbox (run_uuid, job_name, recipients, subject, body_text, body_html,
                                  attachment_name, attachment_csv)
    SELECT p_run_uuid, j.job_name, j.recipients, b.subject, b.body_text, b.body_html,
           CASE WHEN x.csv IS NOT NULL
                THEN format('rejected_rows_%s_%s.csv', j.job_name, to_char(v_as_of, 'YYYYMMDD')) END,
           x.csv
      FROM (SELECT c.job_name, (SELECT array_agg(DISTINCT a) FROM unnest(c.report_recipients) a) AS recipients
              FROM dba.timportconfig c
             WHERE cardinality(c.report_recipients) > 0
               AND c.job_name IN (SELECT d.job_name FROM dba.tdataloads d WHERE (d.run_uuid = p_run_uuid OR d.reported_in = p_run_uuid))) j
     CROSS JOIN LATERAL dba.build_run_report(p_run_uuid, j.job_name) b
     CROSS JOIN LATERAL (SELECT dba._report_rejects_csv(p_run_uuid, j.job_name) AS csv) x
     ORDER BY j.job_name
    ON CONFLICT (run_uuid, job_name) DO NOTHING;

    RETURN QUERY SELECT * FROM dba.temailoutbox o WHERE o.run_uuid = p_run_uuid ORDER BY o.mail_id;
END
$function$;

ALTER FUNCTION dba.queue_run_report(uuid, text[]) OWNER TO feeds_owner;
REVOKE ALL ON FUNCTION dba.queue_run_report(uuid, text[]) FROM PUBLIC;
GRANT EXECUTE ON FUNCTION dba.queue_run_report(uuid, text[]) TO feeds_etl;
COMMENT ON FUNCTION dba.queue_run_report(uuid, text[]) IS
'Queues the report mails of a run in dba.temailoutbox within the caller''s transaction: the whole run to p_admin (none when p_admin is empty), and to each job''s report_recipients a report of only that job''s files; a CSV of the rejected rows is attached when there are any. The loads told are the run''s own and every load of an earlier feeds run that no report told yet (a run killed before its report); each is marked in dba.tdataloads.reported_in. Idempotent per run and job; returns every mail of the run. Raises FD001 when the run does not exist, FD070 when an admin address or a job''s report recipient is not an e-mail address.';
