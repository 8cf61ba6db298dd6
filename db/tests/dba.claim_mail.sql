-- dba.claim_mail(): only due mail, marked sending; stale claims come back; limits and privileges.
-- (SKIP LOCKED between two sessions is tested in tests/test_send_mail.py, which has two connections.)
BEGIN;
SELECT plan(12);
\ir fixtures/report_runs.psql

-- Nothing else in the outbox may be due while we look.
UPDATE dba.temailoutbox SET next_attempt_at = 'infinity' WHERE status IN ('pending', 'sending');
INSERT INTO dba.temailoutbox (run_uuid, job_name, recipients, subject, body_text, body_html, status,
                              next_attempt_at, claimed_at, sent_at)
SELECT '00000000-0000-0000-0000-0000000000a1', v.job, '{admin@example.com}', v.subject, 't', 'h', v.status,
       v.due, v.claimed, CASE WHEN v.status = 'sent' THEN now() END
  FROM (VALUES ('j1', 'due 2', 'pending', now() - interval '1 minute', NULL::timestamptz),
               ('j2', 'due 1', 'pending', now() - interval '1 hour', NULL),
               ('j3', 'due 3', 'pending', now(), NULL),
               ('j4', 'later', 'pending', now() + interval '1 minute', NULL),
               ('j5', 'sent', 'sent', now() - interval '1 day', NULL),
               ('j6', 'gave up', 'failed', now() - interval '1 day', NULL),
               ('j7', 'being sent', 'sending', now() - interval '1 day', now() - interval '14 minutes')) v(job, subject, status, due, claimed);

SELECT is((SELECT array_agg(subject) FROM dba.claim_mail(2)), ARRAY['due 1', 'due 2'],
          'claims up to the limit, the longest due first');
SELECT is((SELECT array_agg(subject ORDER BY subject) FROM dba.temailoutbox WHERE status = 'sending'),
          ARRAY['being sent', 'due 1', 'due 2'], 'claimed mail is marked sending');
SELECT ok((SELECT bool_and(claimed_at >= now()) FROM dba.temailoutbox WHERE subject IN ('due 1', 'due 2')),
          'a claim records its time');
SELECT is((SELECT array_agg(subject) FROM dba.claim_mail()), ARRAY['due 3'],
          'a second claim gets only what is left: not future, sent, failed or freshly claimed mail');
SELECT is((SELECT count(*) FROM dba.claim_mail(10)), 0::bigint, 'nothing is due any more');

UPDATE dba.temailoutbox SET claimed_at = now() - interval '16 minutes' WHERE subject = 'being sent';
SELECT is((SELECT array_agg(subject) FROM dba.claim_mail(10)), ARRAY['being sent'],
          'a claim older than 15 minutes is abandoned and claimable again');
SELECT ok((SELECT claimed_at >= now() FROM dba.temailoutbox WHERE subject = 'being sent'),
          'the new claim gets a new claim time');
UPDATE dba.temailoutbox SET next_attempt_at = now() - interval '1 second' WHERE subject = 'later';
SELECT is((SELECT array_agg(subject) FROM dba.claim_mail(10)), ARRAY['later'],
          'a pending mail becomes claimable when its next_attempt_at comes');

SELECT throws_ok($$SELECT * FROM dba.claim_mail(0)$$, '22023', NULL, 'a limit below 1 is refused');
SELECT throws_ok($$SELECT * FROM dba.claim_mail(NULL)$$, '22023', NULL, 'a NULL limit is refused');

SET LOCAL ROLE feeds_reader;
SELECT throws_ok($$SELECT * FROM dba.claim_mail(1)$$, '42501', NULL, 'feeds_reader may not claim mail');
RESET ROLE;
SET LOCAL ROLE feeds_etl;
SELECT lives_ok($$SELECT * FROM dba.claim_mail(1)$$, 'feeds_etl may claim mail');
RESET ROLE;

SELECT * FROM finish();
ROLLBACK;
