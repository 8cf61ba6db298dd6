-- visitas.collect_errors(): visitas.errors holds the errors of one run, copied from dba.tloaderror.
BEGIN;
SELECT plan(10);

INSERT INTO dba.timportconfig (job_name, file_pattern, inbox_dir, processing_dir, archive_dir, failed_dir,
                               target_table, column_map, load_mode, post_load_hook)
VALUES ('visitas_pgtap', '^pgtap_\d+\.txt$', '/tmp/pgtap/in', '/tmp/pgtap/proc', '/tmp/pgtap/arch', '/tmp/pgtap/fail',
        'visitas.statistics', '[{"source": "email", "target": "email"}]', 'replace_per_run', 'visitas.update_visitors');
INSERT INTO dba.trun (run_uuid, process_type, as_of) VALUES
    ('00000000-0000-0000-0000-0000000000e1', 'pgtap', '2013-02-15'),
    ('00000000-0000-0000-0000-0000000000e2', 'pgtap', '2013-02-16');
INSERT INTO dba.tdataloads (run_uuid, config_id, job_name, file_name, sha256, status)
SELECT r, config_id, job_name, f, encode(sha256(f::bytea), 'hex'), s
  FROM dba.timportconfig,
       (VALUES ('00000000-0000-0000-0000-0000000000e1'::uuid, 'pgtap_1.txt', 'loaded_with_rejects'),
               ('00000000-0000-0000-0000-0000000000e1'::uuid, 'pgtap_2.txt', 'failed'),
               ('00000000-0000-0000-0000-0000000000e2'::uuid, 'pgtap_3.txt', 'loaded_with_rejects')) v(r, f, s)
 WHERE job_name = 'visitas_pgtap';
INSERT INTO dba.tloaderror (load_id, line_no, column_name, raw_value, rule, message, raw_line)
SELECT d.load_id, e.line_no, e.col, e.val, e.rule, e.msg, e.raw
  FROM dba.tdataloads d
  JOIN (VALUES ('pgtap_1.txt', 3, 'email', 'x@', 'email', 'not a valid e-mail address', 'x@,,…'),
               ('pgtap_1.txt', 4, 'Baja', 'NO', 'allowed', 'not one of the allowed values (SI)', 'y@z.mx,,,NO…'),
               ('pgtap_2.txt', 1, NULL, NULL, 'header', 'the header has 14 columns, the job expects 15', 'email,…'),
               ('pgtap_3.txt', 2, 'Opens', 'abc', 'type', 'not a valid integer', 'w@z.mx,…')) e(f, line_no, col, val, rule, msg, raw)
    ON e.f = d.file_name;

SELECT is(visitas.collect_errors('00000000-0000-0000-0000-0000000000e1'), 3, 'rejected rows and the layout failure of run 1');
SELECT results_eq($$SELECT file_name, line_no, field, code, raw_line FROM visitas.errors ORDER BY file_name, line_no$$,
                  $$VALUES ('pgtap_1.txt', 3::bigint, 'email', 'email', 'x@,,…'), ('pgtap_1.txt', 4, 'Baja', 'allowed', 'y@z.mx,,,NO…'),
                           ('pgtap_2.txt', 1, NULL, 'header', 'email,…')$$,
                  'file, line, field, code and raw line are kept');
SELECT is(visitas.collect_errors('00000000-0000-0000-0000-0000000000e1'), 0, 'collecting again adds nothing');
SELECT is((SELECT count(*) FROM visitas.errors), 3::bigint, 'and keeps what is there');

SELECT is(visitas.collect_errors('00000000-0000-0000-0000-0000000000e2'), 1, 'a new run: its own errors');
SELECT is((SELECT array_agg(DISTINCT run_uuid) FROM visitas.errors), ARRAY['00000000-0000-0000-0000-0000000000e2'::uuid],
          'the previous run''s errors are gone from visitas.errors');
SELECT is((SELECT count(*) FROM dba.tloaderror e JOIN dba.tdataloads d USING (load_id) WHERE d.job_name = 'visitas_pgtap'),
          4::bigint, 'dba.tloaderror keeps the full history');

SELECT throws_ok($$SELECT visitas.collect_errors(NULL)$$, '22004', NULL, 'a run uuid is required');
SELECT function_privs_are('visitas', 'collect_errors', ARRAY['uuid'], 'feeds_etl', ARRAY['EXECUTE'], 'feeds_etl may collect errors');
SELECT function_privs_are('visitas', 'collect_errors', ARRAY['uuid'], 'feeds_reader', '{}'::text[], 'feeds_reader may not');

SELECT * FROM finish();
ROLLBACK;
