-- feeds sftp pull asks, acts, confirms: dba.sftp_to_download, dba.sftp_downloaded,
-- dba.sftp_to_delete, dba.sftp_deleted.
BEGIN;
SELECT plan(16);
\ir fixtures/engine.psql

SELECT pg_temp.job('sf_reports', '^report_\d+\.txt$', '[{"source":"code","target":"code"}]');
SELECT pg_temp.job('sf_other', '^other_\d+\.txt$', '[{"source":"code","target":"code"}]');

CREATE FUNCTION pg_temp.listing() RETURNS jsonb LANGUAGE sql AS $$ SELECT '[
  {"name": "report_1.txt", "size": 10, "mtime": 1000},
  {"name": "report_2.txt", "size": 20, "mtime": 2000},
  {"name": "other_3.txt",  "size": 30, "mtime": 3000},
  {"name": "notes.txt",    "size": 40, "mtime": 4000},
  {"name": ".report_5.txt", "size": 50, "mtime": 5000}]'::jsonb $$;
GRANT EXECUTE ON FUNCTION pg_temp.listing() TO feeds_etl;

SET LOCAL ROLE feeds_etl;
SELECT results_eq($$SELECT remote_name, job_name FROM dba.sftp_to_download('u@h:22/out', pg_temp.listing())
                     WHERE skip_reason IS NULL$$,
                  $$VALUES ('other_3.txt', 'sf_other'), ('report_1.txt', 'sf_reports'), ('report_2.txt', 'sf_reports')$$,
                  'the files some job takes, with their job; no other names');
SELECT results_eq($$SELECT remote_name FROM dba.sftp_to_download('u@h:22/out', pg_temp.listing(), 'sf_reports')
                     WHERE skip_reason IS NULL$$,
                  ARRAY['report_1.txt', 'report_2.txt'], 'p_job keeps that job''s files');
SELECT is((SELECT count(*) FROM dba.sftp_to_download('u@h:22/out', pg_temp.listing())
            WHERE remote_name = '.report_5.txt' AND skip_reason IS NOT NULL), 1::bigint,
          'an unsafe name comes back with its reason');

SELECT ok(dba.sftp_downloaded('u@h:22/out', 'report_1.txt', 10, 1000, repeat('a', 64), '/tmp/report_1.txt') > 0,
          'a download is confirmed');
SELECT is(dba.sftp_downloaded('u@h:22/out', 'report_1.txt', 10, 1000, repeat('a', 64), '/tmp/report_1.txt'),
          (SELECT download_id FROM dba.tsftpdownload WHERE remote_name = 'report_1.txt'),
          'confirming it again keeps one row');
SELECT results_eq($$SELECT remote_name FROM dba.sftp_to_download('u@h:22/out', pg_temp.listing(), 'sf_reports')
                     WHERE skip_reason IS NULL$$,
                  ARRAY['report_2.txt'], 'a downloaded version is not downloaded again');
SELECT results_eq($$SELECT remote_name FROM dba.sftp_to_download('u@h:22/other', pg_temp.listing(), 'sf_reports')
                     WHERE skip_reason IS NULL$$,
                  ARRAY['report_1.txt', 'report_2.txt'], 'another source is another server');
SELECT results_eq($$SELECT remote_name FROM dba.sftp_to_download('u@h:22/out',
                     '[{"name": "report_1.txt", "size": 11, "mtime": 1060}]')$$,
                  ARRAY['report_1.txt'], 'a new version (size, mtime) is downloaded');
SELECT throws_ok($$SELECT * FROM dba.sftp_to_download('u@h:22/out', '{"name": "report_1.txt"}')$$, '22023', NULL,
                 'a listing that is not an array is refused');
SELECT throws_ok($$SELECT dba.sftp_downloaded('u@h:22/out', 'report_2.txt', 20, 2000, 'nothex', '/tmp/x')$$,
                 '23514', NULL, 'a malformed sha256 is refused');

SELECT is((SELECT count(*) FROM dba.sftp_to_delete('u@h:22/out')), 0::bigint, 'nothing to delete before a load');
RESET ROLE;
INSERT INTO dba.tdataloads (config_id, job_name, file_name, sha256, status)
SELECT config_id, job_name, 'report_1.txt', repeat('a', 64), 'pending' FROM dba.timportconfig WHERE job_name = 'sf_reports';
SET LOCAL ROLE feeds_etl;
SELECT is((SELECT count(*) FROM dba.sftp_to_delete('u@h:22/out')), 0::bigint, 'a pending load is not loaded');
RESET ROLE;
UPDATE dba.tdataloads SET status = 'loaded_with_rejects' WHERE job_name = 'sf_reports';
SET LOCAL ROLE feeds_etl;
SELECT results_eq($$SELECT remote_name, remote_size, remote_mtime FROM dba.sftp_to_delete('u@h:22/out')$$,
                  $$VALUES ('report_1.txt', 10::bigint, 1000::bigint)$$, 'once loaded, the remote file may go');
SELECT is((SELECT count(*) FROM dba.sftp_to_delete('u@h:22/out', 'sf_other')), 0::bigint,
          'p_job counts only that job''s loads');
SELECT lives_ok($$SELECT dba.sftp_deleted(download_id) FROM dba.sftp_to_delete('u@h:22/out')$$, 'deletion is confirmed');
RESET ROLE;
SET LOCAL ROLE feeds_reader;
SELECT throws_ok($$SELECT * FROM dba.sftp_to_delete('u@h:22/out')$$, '42501', NULL, 'feeds_reader may not ask');
RESET ROLE;

SELECT * FROM finish();
ROLLBACK;
