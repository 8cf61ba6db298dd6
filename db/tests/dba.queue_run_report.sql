-- dba.queue_run_report(): admin mail with the whole run, per-job mails with only their files, CSV of rejects.
BEGIN;
SELECT plan(26);
\ir fixtures/report_runs.psql

CREATE TEMP TABLE t_mail AS
SELECT * FROM dba.queue_run_report('00000000-0000-0000-0000-0000000000a1',
                                   ARRAY['admin@example.com', 'ops@example.com', 'admin@example.com']);

SELECT is((SELECT count(*) FROM t_mail), 2::bigint,
          'one admin mail and one for the job with recipients (mt_beta has none)');
SELECT is((SELECT recipients FROM t_mail WHERE job_name IS NULL), ARRAY['admin@example.com', 'ops@example.com'],
          'the admin mail goes to each admin address once');
SELECT is((SELECT subject FROM t_mail WHERE job_name IS NULL),
          (SELECT subject FROM dba.build_run_report('00000000-0000-0000-0000-0000000000a1')),
          'the admin mail is the whole-run report');
SELECT is((SELECT recipients FROM t_mail WHERE job_name = 'mt_alpha'), ARRAY['client@alpha.example'],
          'the job mail goes to the job''s report_recipients');
SELECT is((SELECT body_text FROM t_mail WHERE job_name = 'mt_alpha'),
          (SELECT body_text FROM dba.build_run_report('00000000-0000-0000-0000-0000000000a1', 'mt_alpha')),
          'the job mail is the job''s report');
SELECT ok((SELECT body_text !~ 'beta' AND body_html !~ 'beta' AND attachment_csv !~ 'beta'
             FROM t_mail WHERE job_name = 'mt_alpha'),
          'a client sees nothing of another job');
SELECT ok((SELECT bool_and(status = 'pending' AND attempts = 0 AND next_attempt_at <= now()) FROM t_mail),
          'queued mails are pending and due at once');

-- The CSV attachment of rejected rows.
SELECT is((SELECT attachment_name FROM t_mail WHERE job_name = 'mt_alpha'), 'rejected_rows_mt_alpha_20261120.csv',
          'the job mail attaches its rejected rows');
SELECT is((SELECT attachment_name FROM t_mail WHERE job_name IS NULL), 'rejected_rows_20261120.csv',
          'the admin mail attaches the run''s rejected rows');
SELECT is((SELECT array_length(regexp_split_to_array(rtrim(attachment_csv, E'\r\n'), E'\r\n'), 1)
             FROM t_mail WHERE job_name = 'mt_alpha'),
          4, 'the CSV has a header line and one line per rejected row');
SELECT is((SELECT split_part(attachment_csv, E'\r\n', 1) FROM t_mail WHERE job_name = 'mt_alpha'),
          'job,file,load_id,line_no,column_name,rule,message,raw_value,raw_line', 'the CSV header names the columns');
SELECT ok(strpos((SELECT attachment_csv FROM t_mail WHERE job_name = 'mt_alpha'),
                 ',5,"email","email","line 5: ''<img src=x onerror=alert(1)>'' is not an e-mail address","<img src=x onerror=alert(1)>","<img src=x onerror=alert(1)>,""4"""') > 0,
          'CSV fields are quoted, inner quotes doubled, commas kept inside the field');

-- Idempotent, empty runs, no admin.
SELECT is((SELECT count(*) FROM dba.queue_run_report('00000000-0000-0000-0000-0000000000a1', ARRAY['admin@example.com'])),
          2::bigint, 'queueing a run again returns its mails');
SELECT is((SELECT count(*) FROM dba.temailoutbox WHERE run_uuid = '00000000-0000-0000-0000-0000000000a1'),
          2::bigint, 'queueing a run again adds no mail');
SELECT is((SELECT array_agg(o.subject || '|' || coalesce(o.attachment_name, 'none'))
             FROM dba.queue_run_report('00000000-0000-0000-0000-0000000000e0', ARRAY['admin@example.com']) o),
          ARRAY['[Feeds] success: run 2026-11-21 - no files|none'], 'an empty run still reports to the admin, without attachment');
SELECT is((SELECT count(*) FROM dba.queue_run_report('00000000-0000-0000-0000-0000000000b2', '{}')),
          0::bigint, 'without admin addresses and job recipients nothing is queued');

-- Errors.
SELECT throws_ok($$SELECT * FROM dba.queue_run_report(gen_random_uuid(), ARRAY['admin@example.com'])$$,
                 'FD001', NULL, 'an unknown run is FD001');
SELECT throws_ok($$SELECT * FROM dba.queue_run_report('00000000-0000-0000-0000-0000000000b2', ARRAY['Admin <admin@example.com>'])$$,
                 'FD070', NULL, 'an admin address that is not a plain address is FD070');
SET LOCAL session_replication_role = replica;   -- past any configuration trigger: the data may be old
UPDATE dba.timportconfig SET report_recipients = '{"client@beta.example","bad address"}' WHERE job_name = 'mt_beta';
SET LOCAL session_replication_role = origin;
SELECT throws_ok($$SELECT * FROM dba.queue_run_report('00000000-0000-0000-0000-0000000000b2', ARRAY['admin@example.com'])$$,
                 'FD070', 'report recipient "bad address" of job "mt_beta" is not an e-mail address',
                 'a bad job recipient is FD070 naming the job');

-- Privileges both ways.
SET LOCAL ROLE feeds_reader;
SELECT throws_ok($$SELECT * FROM dba.queue_run_report('00000000-0000-0000-0000-0000000000e0', '{}')$$,
                 '42501', NULL, 'feeds_reader may not queue mail');
RESET ROLE;
SET LOCAL ROLE feeds_etl;
SELECT throws_ok($$INSERT INTO dba.temailoutbox (run_uuid, recipients, subject, body_text, body_html)
                   VALUES ('00000000-0000-0000-0000-0000000000e0', '{x@example.com}', 's', 't', 'h')$$,
                 '42501', NULL, 'feeds_etl may not write the outbox directly');
SELECT lives_ok($$SELECT * FROM dba.queue_run_report('00000000-0000-0000-0000-0000000000e0', ARRAY['admin@example.com'])$$,
                'feeds_etl may queue mail');
RESET ROLE;

-- A feeds run killed before its report: its loads are told by the next run's report, once.
INSERT INTO dba.trun (run_uuid, process_type, as_of, started_at)
VALUES ('00000000-0000-0000-0000-0000000000c1', 'feeds_run', '2026-11-23', '2026-11-23 06:00Z'),
       ('00000000-0000-0000-0000-0000000000c2', 'feeds_run', '2026-11-24', '2026-11-24 06:00Z'),
       ('00000000-0000-0000-0000-0000000000c3', 'feeds_run', '2026-11-25', '2026-11-25 06:00Z');
INSERT INTO dba.tdataloads (run_uuid, config_id, job_name, file_name, status, error_sqlstate, error_message, started_at, finished_at)
VALUES ('00000000-0000-0000-0000-0000000000c1', (SELECT config_id FROM dba.timportconfig WHERE job_name = 'mt_alpha'),
        'mt_alpha', 'alpha_killed.csv', 'failed', 'FD020', 'alpha_killed.csv: header does not match',
        '2026-11-23 06:00:01Z', '2026-11-23 06:00:02Z');
INSERT INTO dba.tloaderror (load_id, line_no, column_name, raw_value, rule, message, raw_line)
SELECT load_id, 2, 'email', v, 'email', 'not an address', v || ',1'
  FROM dba.tdataloads, unnest(ARRAY['=cmd|x!A1', '+SUM(1)', '@evil', E'\tTAB', '-2+3']) v
 WHERE file_name = 'alpha_killed.csv';
CREATE TEMP TABLE t_next AS
SELECT * FROM dba.queue_run_report('00000000-0000-0000-0000-0000000000c2', ARRAY['admin@example.com']);
SELECT matches((SELECT subject FROM t_next WHERE job_name IS NULL), 'FAILED|failed',
               'the next run''s report tells the failure the killed run never reported');
SELECT ok(strpos((SELECT body_text FROM t_next WHERE job_name IS NULL), 'alpha_killed.csv') > 0, 'naming the file');
SELECT is((SELECT count(*) FROM dba.queue_run_report('00000000-0000-0000-0000-0000000000c3', ARRAY['admin@example.com']) o
            WHERE o.body_text ~ 'alpha_killed'), 0::bigint, 'and the run after that does not tell it again');
SELECT ok((SELECT attachment_csv ~ '"''=cmd\|x!A1"' AND attachment_csv ~ '"''\+SUM\(1\)"' AND attachment_csv ~ '"''@evil"'
                  AND attachment_csv ~ E'"''\tTAB"' AND attachment_csv ~ '"''-2\+3"' AND attachment_csv !~ '(^|,)"[=+@-]'
             FROM t_next WHERE job_name IS NULL),
          'cells a spreadsheet would run as a formula start with an apostrophe');

SELECT * FROM finish();
ROLLBACK;
