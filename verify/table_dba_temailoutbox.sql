-- Verify feeds:table_dba_temailoutbox on pg
SELECT mail_id, run_uuid, job_name, recipients, subject, body_text, body_html, attachment_name,
       attachment_csv, status, attempts, max_attempts, next_attempt_at, claimed_at, last_error,
       sent_at, delivery_note, created_at
  FROM dba.temailoutbox WHERE false;
SELECT 1/count(*) FROM pg_indexes WHERE schemaname = 'dba' AND indexname = 'temailoutbox_run_job_key';
