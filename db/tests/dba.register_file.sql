-- dba.register_file(), dba.files_to_move(), dba.mark_moved(): the watcher's and runner's bookkeeping.
BEGIN;
SELECT plan(12);
\ir fixtures/engine.psql

SELECT pg_temp.job('rf', '^rf_\d+\.csv$', '[{"source":"code","target":"code"}]');
SELECT pg_temp.job('rf_x', '^rf_\d+\.xlsx$', '[{"source":"code","target":"code"}]');
UPDATE dba.timportconfig SET file_type = 'xlsx' WHERE job_name = 'rf_x';
SELECT pg_temp.write_file('rf_1.csv', E'code\na\n');
SELECT pg_temp.write_file('rf_2.xlsx.csv', E'code\nb\n');
SELECT pg_temp.deliver('rf_3.csv', E'nope\nc\n');

CREATE TEMP TABLE run AS SELECT dba.start_run('pgtap') AS id;
GRANT SELECT ON run TO feeds_etl;
SET LOCAL ROLE feeds_etl;
CREATE TEMP TABLE reg AS
SELECT * FROM dba.register_file('rf', 'rf_1.csv', encode(sha256(E'code\na\n'::bytea), 'hex'), 7, (SELECT id FROM run));
RESET ROLE;
SELECT is((SELECT status FROM reg), 'pending', 'feeds_etl registers a file');
SELECT throws_ok($$SELECT * FROM dba.register_file('rf', 'other.txt', repeat('c', 64), 1)$$, 'FD003', NULL, 'the job must take the name');
SELECT throws_ok($$SELECT * FROM dba.register_file('rf', 'rf_9.csv', 'xyz', 1)$$, '22023', NULL, 'a malformed sha256 is refused');
SELECT is((SELECT status FROM dba.register_file('rf_x', 'rf_2.xlsx', encode(sha256(E'code\nb\n'::bytea), 'hex'), 7, (SELECT id FROM run))),
          'pending', 'an Excel file is registered by its original name');

CREATE TEMP TABLE ri AS SELECT * FROM dba.run_import(p_run_uuid => (SELECT id FROM run));
SELECT is((SELECT load_id FROM ri WHERE file_name = 'rf_1.csv'), (SELECT load_id FROM reg), 'run_import loads the registered row');
SELECT is((SELECT status FROM ri WHERE file_name = 'rf_2.xlsx'), 'loaded', 'and the converted CSV of the Excel file');

CREATE TEMP TABLE mv AS SELECT * FROM dba.files_to_move((SELECT id FROM run));
SELECT set_eq($$SELECT regexp_replace(from_path, '.*/', '') AS f, regexp_replace(to_dir, '.*/', '') AS d FROM mv$$,
              $$VALUES ('rf_1.csv', 'archive'), ('rf_2.xlsx.csv', 'archive'), ('rf_2.xlsx', 'archive'), ('rf_3.csv', 'failed')$$,
              'loaded files go to the archive (Excel with its original), failed ones to failed');
SELECT matches((SELECT reason FROM mv WHERE status = 'failed'), '^rf_3.csv failed \[FD020\]', 'a failed file comes with its reason');

SET LOCAL ROLE feeds_etl;
SELECT lives_ok(format($$SELECT dba.mark_moved(%s, %L)$$, (SELECT load_id FROM reg),
                       (SELECT archive_dir FROM dba.timportconfig WHERE job_name = 'rf') || '/rf_1.csv.zip'), 'feeds_etl records the move');
RESET ROLE;
SELECT is((SELECT file_location FROM dba.tdataloads WHERE load_id = (SELECT load_id FROM reg)),
          (SELECT archive_dir FROM dba.timportconfig WHERE job_name = 'rf') || '/rf_1.csv.zip', 'the new location is kept');
SELECT ok(NOT EXISTS (SELECT 1 FROM dba.files_to_move((SELECT id FROM run)) WHERE load_id = (SELECT load_id FROM reg)), 'a moved file is not listed again');
SELECT throws_ok($$SELECT dba.mark_moved(1, 'relative/path')$$, '22023', NULL, 'the location must be absolute');

SELECT * FROM finish();
ROLLBACK;
