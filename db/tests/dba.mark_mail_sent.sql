-- dba.mark_mail_sent(): confirms a claimed mail once.
BEGIN;
SELECT plan(9);
\ir fixtures/report_runs.psql

UPDATE dba.temailoutbox SET next_attempt_at = 'infinity' WHERE status IN ('pending', 'sending');
CREATE TEMP TABLE t_mail AS
SELECT * FROM dba.queue_run_report('00000000-0000-0000-0000-0000000000a1', ARRAY['admin@example.com']);
GRANT SELECT ON t_mail TO feeds_etl, feeds_reader;

SELECT throws_ok(format('SELECT dba.mark_mail_sent(%s)', (SELECT mail_id FROM t_mail WHERE job_name IS NULL)),
                 'FD072', NULL, 'a mail that was not claimed cannot be marked sent');
SELECT is((SELECT count(*) FROM dba.claim_mail(10)), 2::bigint, 'both mails claimed');

SELECT is((dba.mark_mail_sent((SELECT mail_id FROM t_mail WHERE job_name IS NULL), 'smtp.example.com:465')).status,
          'sent', 'a claimed mail is marked sent');
SELECT ok((SELECT sent_at IS NOT NULL AND delivery_note = 'smtp.example.com:465'
             FROM dba.temailoutbox WHERE mail_id = (SELECT mail_id FROM t_mail WHERE job_name IS NULL)),
          'the time and the delivery note are recorded');
SELECT throws_ok(format('SELECT dba.mark_mail_sent(%s)', (SELECT mail_id FROM t_mail WHERE job_name IS NULL)),
                 'FD072', NULL, 'a sent mail cannot be marked sent again');
UPDATE dba.temailoutbox SET claimed_at = now() - interval '1 hour' WHERE status = 'sent';
SELECT is((SELECT count(*) FROM dba.claim_mail(10)), 0::bigint, 'a sent mail is never claimed again');
SELECT throws_ok($$SELECT dba.mark_mail_sent(-1)$$, 'FD071', NULL, 'an unknown mail is FD071');

SET LOCAL ROLE feeds_reader;
SELECT throws_ok(format('SELECT dba.mark_mail_sent(%s)', (SELECT mail_id FROM t_mail WHERE job_name = 'mt_alpha')),
                 '42501', NULL, 'feeds_reader may not mark mail');
RESET ROLE;
SET LOCAL ROLE feeds_etl;
SELECT lives_ok(format('SELECT dba.mark_mail_sent(%s)', (SELECT mail_id FROM t_mail WHERE job_name = 'mt_alpha')),
                'feeds_etl may mark mail sent');
RESET ROLE;

SELECT * FROM finish();
ROLLBACK;
