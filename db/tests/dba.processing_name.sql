-- dba.processing_name() and dba.delivered_name(): the one rule of the name a job's file is loaded
-- under in processing (a workbook as <name>.csv next to it), by value, and its users agree.
BEGIN;
SELECT plan(13);
\ir fixtures/engine.psql

SELECT pg_temp.job('pn_csv', '^pn_\d+\.csv$', '[{"source":"code","target":"code"}]');
SELECT pg_temp.job('pn_book', '^pn_\d+\.xlsx$', '[{"source":"code","target":"code"}]');
UPDATE dba.timportconfig SET file_type = 'xlsx' WHERE job_name = 'pn_book';

SELECT is(dba.processing_name('pn_csv', 'pn_1.csv'), 'pn_1.csv', 'a CSV job loads the file as it is');
SELECT is(dba.processing_name('pn_book', 'pn_1.xlsx'), 'pn_1.xlsx.csv', 'a workbook job loads <name>.csv');
SELECT is(dba.processing_name('pn_book', '/srv/p/pn_1.xlsx'), '/srv/p/pn_1.xlsx.csv', 'a path works too');
SELECT is(dba.delivered_name('pn_csv', 'pn_1.csv'), 'pn_1.csv', 'inverse: a CSV job''s name is itself');
SELECT is(dba.delivered_name('pn_book', 'pn_1.xlsx.csv'), 'pn_1.xlsx', 'inverse: the workbook of a converted CSV');
SELECT is(dba.delivered_name('pn_book', 'pn_1.xlsx'), NULL, 'a workbook job loads nothing under the workbook''s own name');
SELECT is(dba.delivered_name('pn_book', '.csv'), NULL, 'nor under a bare .csv');
SELECT is(dba.delivered_name('pn_book', dba.processing_name('pn_book', 'pn_2.xlsx')), 'pn_2.xlsx', 'the two are inverse');
SELECT throws_ok($$SELECT dba.processing_name('pn_none', 'x.csv')$$, 'FD001', NULL, 'an unknown job is FD001');
SELECT throws_ok($$SELECT dba.delivered_name('pn_none', 'x.csv')$$, 'FD001', NULL, 'for the inverse too');
SET LOCAL ROLE feeds_etl;
SELECT is(dba.processing_name('pn_book', 'pn_3.xlsx'), 'pn_3.xlsx.csv', 'feeds_etl asks it (the watcher does)');
RESET ROLE;
-- register_file and files_to_move follow it
CREATE TEMP TABLE reg AS SELECT * FROM dba.register_file('pn_book', 'pn_4.xlsx', repeat('b', 64), 7);
SELECT is((SELECT file_path FROM dba.tdataloads WHERE load_id = (SELECT load_id FROM reg)),
          current_setting('feeds.test_dir') || '/pn_4.xlsx.csv', 'register_file records the processing name');
UPDATE dba.tdataloads SET status = 'failed' WHERE load_id = (SELECT load_id FROM reg);
SELECT set_eq(format('SELECT from_path FROM dba.files_to_move() WHERE load_id = %s', (SELECT load_id FROM reg)),
              format('VALUES (%L), (%L)', current_setting('feeds.test_dir') || '/pn_4.xlsx.csv',
                     current_setting('feeds.test_dir') || '/pn_4.xlsx'),
              'files_to_move moves the converted CSV and its workbook');

SELECT * FROM finish();
ROLLBACK;
