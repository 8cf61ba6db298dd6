-- dba._is_workbook_type(): the one list of workbook file types, used by the file_type CHECK and by
-- register_file / run_import / files_to_move (an ods job registers and loads <name>.ods.csv).
BEGIN;
SELECT plan(9);
\ir fixtures/engine.psql

SELECT ok(dba._is_workbook_type(t), t || ' is a workbook type') FROM unnest(ARRAY['xlsx', 'xls', 'xlsb', 'ods']) t;
SELECT ok(NOT dba._is_workbook_type('csv') AND NOT dba._is_workbook_type('txt'), 'csv and txt are not');
SELECT function_privs_are('dba', '_is_workbook_type', ARRAY['text'], 'feeds_etl', ARRAY[]::text[],
                          'dba._is_workbook_type is internal');

SELECT pg_temp.job('wb_ods', '^wb_\d+\.ods$', '[{"source":"code","target":"code"}]');
SELECT throws_ok($$UPDATE dba.timportconfig SET file_type = 'pdf' WHERE job_name = 'wb_ods'$$, '23514', NULL,
                 'a file_type that is neither text nor a workbook is refused');
UPDATE dba.timportconfig SET file_type = 'ods' WHERE job_name = 'wb_ods';
SELECT pg_temp.deliver('wb_1.ods.csv', E'code\nz\n');
CREATE TEMP TABLE run AS SELECT dba.start_run('pgtap') AS id;
SELECT is((SELECT status FROM dba.register_file('wb_ods', 'wb_1.ods', encode(sha256(E'code\nz\n'::bytea), 'hex'), 7,
                                                (SELECT id FROM run))),
          'pending', 'an ods job registers the original name');
SELECT is((SELECT status FROM dba.run_import(p_run_uuid => (SELECT id FROM run)) WHERE file_name = 'wb_1.ods'),
          'loaded', 'and loads its converted CSV');

SELECT * FROM finish();
ROLLBACK;
