-- dba.mark_mail_failed(): error recorded, exponential backoff, failed after max_attempts.
BEGIN;
SELECT plan(14);
\ir fixtures/report_runs.psql

UPDATE dba.temailoutbox SET next_attempt_at = 'infinity' WHERE status IN ('pending', 'sending');
CREATE TEMP TABLE t_mail AS
SELECT * FROM dba.queue_run_report('00000000-0000-0000-0000-0000000000e0', ARRAY['admin@example.com']);
GRANT SELECT ON t_mail TO feeds_etl, feeds_reader;
UPDATE dba.temailoutbox SET max_attempts = 3 WHERE mail_id = (SELECT mail_id FROM t_mail);

SELECT is((SELECT count(*) FROM dba.claim_mail()), 1::bigint, 'the mail is claimed');
CREATE TEMP TABLE t_fail AS SELECT * FROM dba.mark_mail_failed((SELECT mail_id FROM t_mail), 'connection refused');
SELECT is((SELECT status || '/' || attempts || '/' || last_error FROM t_fail), 'pending/1/connection refused',
          'a first failure puts the mail back to pending with one attempt and the error');
SELECT ok((SELECT next_attempt_at - clock_timestamp() BETWEEN interval '55 seconds' AND interval '1 minute' FROM t_fail),
          'it is due again in 1 minute');
SELECT is((SELECT count(*) FROM dba.claim_mail()), 0::bigint, 'not claimable before then');

UPDATE dba.temailoutbox SET next_attempt_at = now() WHERE mail_id = (SELECT mail_id FROM t_mail);
SELECT is((SELECT count(*) FROM dba.claim_mail()), 1::bigint, 'claimable once due');
SELECT ok((SELECT attempts = 2 AND next_attempt_at - clock_timestamp() BETWEEN interval '115 seconds' AND interval '2 minutes'
             FROM dba.mark_mail_failed((SELECT mail_id FROM t_mail), 'timed out')),
          'the second failure waits 2 minutes: the wait doubles');

UPDATE dba.temailoutbox SET next_attempt_at = now() WHERE mail_id = (SELECT mail_id FROM t_mail);
SELECT is((SELECT count(*) FROM dba.claim_mail()), 1::bigint, 'claimable again for the third attempt');
SELECT is((dba.mark_mail_failed((SELECT mail_id FROM t_mail), 'certificate verify failed')).status, 'failed',
          'at max_attempts the mail is failed for good');
UPDATE dba.temailoutbox SET next_attempt_at = now() - interval '1 day' WHERE mail_id = (SELECT mail_id FROM t_mail);
SELECT is((SELECT count(*) FROM dba.claim_mail()), 0::bigint, 'a failed mail is never claimed');

-- The wait is capped at 6 hours.
UPDATE dba.temailoutbox SET status = 'sending', claimed_at = now(), attempts = 20, max_attempts = 30
 WHERE mail_id = (SELECT mail_id FROM t_mail);
SELECT ok((SELECT next_attempt_at - clock_timestamp() BETWEEN interval '5 hours 59 minutes' AND interval '6 hours'
             FROM dba.mark_mail_failed((SELECT mail_id FROM t_mail), 'still down')),
          'the wait is capped at 6 hours');

SELECT throws_ok(format('SELECT dba.mark_mail_failed(%s, %L)', (SELECT mail_id FROM t_mail), ''), '22004', NULL,
                 'an attempt cannot fail without an error text');
SELECT throws_ok(format('SELECT dba.mark_mail_failed(%s, %L)', (SELECT mail_id FROM t_mail), 'again'), 'FD072', NULL,
                 'a mail that is not being sent cannot fail');
SELECT throws_ok($$SELECT dba.mark_mail_failed(-1, 'x')$$, 'FD071', NULL, 'an unknown mail is FD071');
SET LOCAL ROLE feeds_reader;
SELECT throws_ok(format('SELECT dba.mark_mail_failed(%s, %L)', (SELECT mail_id FROM t_mail), 'x'), '42501', NULL,
                 'feeds_reader may not mark mail');
RESET ROLE;

SELECT * FROM finish();
ROLLBACK;
