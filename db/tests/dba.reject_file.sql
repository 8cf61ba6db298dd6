-- dba.reject_file(): a file that failed before the engine could read it is kept with its reason;
-- a processing directory the server cannot list fails its job only.
BEGIN;
SELECT plan(9);
\ir fixtures/engine.psql

SELECT pg_temp.job('rj', '^rj_\d+\.xls$', '[{"source":"code","target":"code"}]');
UPDATE dba.timportconfig SET file_type = 'xls' WHERE job_name = 'rj';

SET LOCAL ROLE feeds_etl;
CREATE TEMP TABLE r AS SELECT * FROM dba.reject_file('rj', 'rj_1.xls', repeat('a', 64), 10, 'not a spreadsheet: looks like a PDF document');
RESET ROLE;
SELECT is((SELECT status FROM r), 'failed', 'feeds_etl records the file as failed');
SELECT is((SELECT error_sqlstate FROM r), 'FD013', 'with FD013');
SELECT is((SELECT error_message FROM r), 'rj_1.xls: not a spreadsheet: looks like a PDF document', 'and its reason');
SELECT is((SELECT load_id FROM dba.reject_file('rj', 'rj_1.xls', repeat('a', 64), 10, 'again')), (SELECT load_id FROM r),
          'the same file again is the same row');
SELECT results_eq(format($$SELECT from_path, to_dir FROM dba.files_to_move() WHERE load_id = %s$$, (SELECT load_id FROM r)),
                  format($$VALUES (%L, %L)$$, current_setting('feeds.test_dir') || '/inbox/rj_1.xls',
                         current_setting('feeds.test_dir') || '/failed'),
                  'the runner is told to move it from the inbox to failed');
SELECT matches((SELECT reason FROM dba.files_to_move() WHERE load_id = (SELECT load_id FROM r)), 'looks like a PDF',
               'with the reason for its .reason.txt');
SELECT throws_ok($$SELECT dba.reject_file('rj', 'rj_2.xls', repeat('a', 64), 10, '')$$, '22023', NULL, 'a reason is required');

-- A job whose processing directory cannot be listed is skipped; the others load.
SELECT pg_temp.job('rj_ok', '^rjok_\d+\.csv$', '[{"source":"code","target":"code"}]');
SELECT pg_temp.job('rj_bad', '^rjbad_\d+\.csv$', '[{"source":"code","target":"code"}]');
UPDATE dba.timportconfig SET processing_dir = current_setting('data_directory') || '/PG_VERSION' WHERE job_name = 'rj_bad';
SELECT pg_temp.deliver('rjok_1.csv', E'code\nz\n');
SELECT is((SELECT string_agg(job || ':' || status, ',') FROM dba.run_import()), 'rj_ok:loaded',
          'an unlistable processing directory does not stop the other jobs');
SELECT ok(EXISTS (SELECT 1 FROM dba.tlogentry WHERE level = 'error' AND message LIKE 'job rj_bad: cannot list %'),
          'and is logged as an error');

SELECT * FROM finish();
ROLLBACK;
