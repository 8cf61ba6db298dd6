-- visitas.monthly_control: files and rows processed, loaded and rejected per month.
BEGIN;
SELECT plan(6);

INSERT INTO dba.timportconfig (job_name, file_pattern, inbox_dir, processing_dir, archive_dir, failed_dir,
                               target_table, column_map, load_mode)
VALUES ('visitas_pgtap', '^pgtap_\d+\.txt$', '/tmp/pgtap/in', '/tmp/pgtap/proc', '/tmp/pgtap/arch', '/tmp/pgtap/fail',
        'visitas.statistics', '[{"source": "email", "target": "email"}]', 'replace_per_run'),
       ('other_pgtap', '^other_\d+\.txt$', '/tmp/pgtap/in', '/tmp/pgtap/proc', '/tmp/pgtap/arch', '/tmp/pgtap/fail',
        'dba.tdataloads', '[{"source": "x", "target": "file_name"}]', 'append');
INSERT INTO dba.trun (run_uuid, process_type, as_of) VALUES
    ('00000000-0000-0000-0000-0000000000c1', 'pgtap', '1999-01-10'),
    ('00000000-0000-0000-0000-0000000000c2', 'pgtap', '1999-01-31'),
    ('00000000-0000-0000-0000-0000000000c3', 'pgtap', '1999-02-01');
INSERT INTO dba.tdataloads (run_uuid, config_id, job_name, file_name, sha256, status, rows_read, rows_inserted, rows_rejected)
SELECT r, c.config_id, c.job_name, f, encode(sha256((f || r::text)::bytea), 'hex'), s, rr, ri, rj
  FROM (VALUES ('00000000-0000-0000-0000-0000000000c1'::uuid, 'visitas_pgtap', 'pgtap_1.txt', 'loaded', 10, 10, 0),
               ('00000000-0000-0000-0000-0000000000c1', 'visitas_pgtap', 'pgtap_2.txt', 'loaded_with_rejects', 10, 7, 3),
               ('00000000-0000-0000-0000-0000000000c2', 'visitas_pgtap', 'pgtap_3.txt', 'failed', 5, 0, 5),
               ('00000000-0000-0000-0000-0000000000c2', 'visitas_pgtap', 'pgtap_4.txt', 'duplicate', 0, 0, 0),
               ('00000000-0000-0000-0000-0000000000c2', 'visitas_pgtap', 'pgtap_5.txt', 'pending', 0, 0, 0),
               ('00000000-0000-0000-0000-0000000000c2', 'other_pgtap', 'other_1.txt', 'loaded', 100, 100, 0),
               ('00000000-0000-0000-0000-0000000000c3', 'visitas_pgtap', 'pgtap_6.txt', 'loaded', 4, 4, 0))
       v(r, j, f, s, rr, ri, rj)
  JOIN dba.timportconfig c ON c.job_name = v.j;

SELECT has_view('visitas', 'monthly_control', 'the monthly control view exists');
SELECT results_eq(
    $$SELECT month, files_processed, files_loaded, files_with_rejects, files_failed, files_duplicate,
             rows_processed, rows_loaded, rows_rejected
        FROM visitas.monthly_control WHERE month < '2000-01-01' ORDER BY month$$,
    $$VALUES ('1999-01-01'::date, 4::bigint, 2::bigint, 1::bigint, 1::bigint, 1::bigint, 25::bigint, 17::bigint, 8::bigint),
             ('1999-02-01'::date, 1, 1, 0, 0, 0, 4, 4, 0)$$,
    'per month of the run''s as_of: pending left out, duplicates add no rows, other jobs not counted');

SELECT ok(has_table_privilege('feeds_reader', 'visitas.monthly_control', 'SELECT'), 'feeds_reader reads the view');
SELECT ok(has_table_privilege('feeds_etl', 'visitas.monthly_control', 'SELECT'), 'feeds_etl reads the view');
SELECT ok(NOT has_table_privilege('feeds_etl', 'visitas.visitor', 'INSERT, UPDATE, DELETE, TRUNCATE'),
          'feeds_etl cannot change visitas.visitor directly');
SELECT ok(NOT has_table_privilege('feeds_etl', 'visitas.statistics', 'INSERT, UPDATE, DELETE, TRUNCATE'),
          'feeds_etl cannot write visitas.statistics directly');

SELECT * FROM finish();
ROLLBACK;
