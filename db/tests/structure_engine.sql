-- Structure and privileges of the engine: entry points are SECURITY DEFINER with a fixed
-- search_path, callable by feeds_etl, not by feeds_reader; helpers are internal.
BEGIN;
SELECT plan(79);

SELECT has_table('dba', 'tloadundo', 'dba.tloadundo exists');
SELECT has_table('dba', 'tsetaside', 'dba.tsetaside exists');
SELECT ok(NOT has_table_privilege('feeds_etl', 'dba.tsetaside', 'SELECT, INSERT, DELETE'), 'only the engine sees the lines a fast way set aside');
SELECT has_table('dba', 'tundoimages', 'dba.tundoimages exists');
SELECT has_trigger('dba', 'tundoimages', 'tundoimages_drop_images', 'typed images go with their load, by a trigger');
SELECT schema_owner_is('undo', 'feeds_owner', 'the owner owns the schema of the typed undo tables');
SELECT has_trigger('dba', 'timportconfig', 'timportconfig_check', 'jobs are checked by a trigger');

SELECT is_definer('dba', f, 'dba.' || f || ' is SECURITY DEFINER')
  FROM unnest(ARRAY['run_import', 'match_config', 'register_file', 'begin_load', 'finish_load',
                    'files_to_move', 'mark_moved', 'undo_load']) f;

SELECT function_privs_are('dba', 'run_import', ARRAY['text', 'text', 'boolean', 'uuid'], 'feeds_etl', ARRAY['EXECUTE']);
SELECT function_privs_are('dba', 'run_import', ARRAY['text', 'text', 'boolean', 'uuid'], 'feeds_reader', ARRAY[]::text[]);
SELECT function_privs_are('dba', 'match_config', ARRAY['text'], 'feeds_etl', ARRAY['EXECUTE']);
SELECT function_privs_are('dba', 'register_file', ARRAY['text', 'text', 'text', 'bigint', 'uuid', 'text', 'integer'], 'feeds_etl', ARRAY['EXECUTE']);
SELECT function_privs_are('dba', 'begin_load', ARRAY['text', 'text', 'text', 'bigint', 'uuid', 'text', 'integer'], 'feeds_etl', ARRAY['EXECUTE']);
SELECT function_privs_are('dba', 'finish_load', ARRAY['bigint', 'boolean'], 'feeds_etl', ARRAY['EXECUTE']);
SELECT function_privs_are('dba', 'files_to_move', ARRAY['uuid', 'boolean'], 'feeds_etl', ARRAY['EXECUTE']);
SELECT function_privs_are('dba', 'mark_moved', ARRAY['bigint', 'text'], 'feeds_etl', ARRAY['EXECUTE']);
SELECT function_privs_are('dba', 'undo_load', ARRAY['bigint'], 'feeds_etl', ARRAY['EXECUTE']);
SELECT function_privs_are('dba', 'undo_load', ARRAY['bigint'], 'feeds_reader', ARRAY[]::text[]);

SELECT function_privs_are('dba', f, a, 'feeds_etl', ARRAY[]::text[], 'dba.' || f || ' is internal')
  FROM (VALUES ('_process_load', ARRAY['bigint', 'boolean']), ('_load_file', ARRAY['bigint', 'text', 'boolean', 'boolean', 'boolean']),
               ('_direct_path_miss', ARRAY[]::text[]),
               ('_split_line', ARRAY['text', 'text', 'text', 'boolean']), ('_to_timestamp', ARRAY['text', 'text']),
               ('_check_file_name', ARRAY['text']), ('_fit_rules', ARRAY['text', 'regtype', 'integer', 'text', 'boolean']),
               ('_compile_plan', ARRAY['dba.timportconfig', 'text', 'text[]']),
               ('_plan_column', ARRAY['dba.timportconfig', 'jsonb', 'integer', 'integer', 'text', 'text', 'regclass']),
               ('_column_checks', ARRAY['jsonb', 'text', 'text', 'boolean', 'regtype', 'integer']),
               ('_header_error', ARRAY['dba.timportconfig', 'text', 'text[]', 'jsonb', 'integer', 'text[]']),
               ('_map_vocabulary', ARRAY['text']), ('_leave_fast_way', ARRAY['bigint', 'text', 'text']),
               ('_strict_csv', ARRAY['bigint', 'text', 'dba.timportconfig']),
               ('_stage_mixed_lines', ARRAY['regclass', 'refcursor', 'text']), ('_stage_file', ARRAY['bigint', 'text', 'boolean']),
               ('_stage_chunks', ARRAY['bigint']), ('_fail_load', ARRAY['bigint', 'text', 'text', 'boolean', 'uuid']), ('_check_client_stream', ARRAY['dba.tdataloads']), ('_stage_chunks_trigger', ARRAY[]::text[]), ('_admit_load', ARRAY['bigint']),
               ('_load_rows', ARRAY['bigint', 'dba.timportconfig', 'regclass', 'text', 'text[]']),
               ('_set_outcome', ARRAY['bigint', 'text', 'bigint', 'bigint', 'bigint', 'bigint', 'text', 'text']),
               ('_record_rejects', ARRAY['bigint', 'text', 'regclass', 'integer', 'text[]', 'text[]']),
               ('_csv_line_regex', ARRAY['text', 'text']), ('_join_records', ARRAY['bigint', 'dba.timportconfig']),
               ('_open_load', ARRAY['bigint', 'dba.timportconfig', 'text', 'text']),
               ('_fields_sql', ARRAY['bigint', 'dba.timportconfig', 'dba.load_plan', 'dba.load_source']),
               ('_rows_sql', ARRAY['bigint', 'dba.timportconfig', 'dba.load_plan', 'dba.load_source', 'boolean']),
               ('_load_sql', ARRAY['bigint', 'dba.timportconfig', 'dba.load_plan', 'text', 'boolean']),
               ('_validate_rows', ARRAY['bigint', 'dba.timportconfig', 'dba.load_plan', 'dba.load_source']),
               ('_close_load', ARRAY['bigint', 'dba.timportconfig', 'bigint', 'bigint', 'bigint', 'bigint']),
               ('_load_fast_way', ARRAY['bigint', 'text']), ('_take_fast_way', ARRAY['bigint', 'text', 'boolean']),
               ('_set_aside', ARRAY['bigint', 'bigint']), ('_raw_lines', ARRAY['bigint', 'text', 'text']),
               ('_reject_set_aside', ARRAY['bigint', 'dba.timportconfig', 'dba.load_plan', 'dba.load_source']),
               ('_over_reject_limit', ARRAY['dba.timportconfig', 'bigint', 'bigint']),
               ('_undo_table', ARRAY['bigint', 'regclass']), ('_image_columns', ARRAY['regclass', 'regclass', 'boolean']),
               ('_kept_images', ARRAY['bigint', 'regclass', 'bigint', 'bigint[]']), ('_restore_images', ARRAY['bigint', 'regclass']),
               ('_forget_images', ARRAY['bigint', 'regclass']), ('_drop_undo_images', ARRAY[]::text[])) v(f, a);

SELECT ok(pg_has_role('feeds_owner', 'pg_read_server_files', 'MEMBER'), 'the engine owner may read server files');
SELECT ok(NOT pg_has_role('feeds_etl', 'pg_read_server_files', 'MEMBER'), 'feeds_etl may not');
SELECT ok(has_server_privilege('feeds_owner', 'feeds_files', 'USAGE'), 'the engine owner reads files through file_fdw');
SELECT ok(NOT has_server_privilege('feeds_etl', 'feeds_files', 'USAGE'), 'feeds_etl may not');
SELECT ok(NOT has_table_privilege('feeds_etl', 'dba.timportconfig', 'INSERT, UPDATE, DELETE'), 'feeds_etl cannot change jobs');
SELECT ok(NOT has_table_privilege('feeds_etl', 'dba.tdataloads', 'INSERT, UPDATE, DELETE'), 'feeds_etl cannot change loads directly');
SELECT ok(has_table_privilege('feeds_reader', 'dba.tdataloads', 'SELECT'), 'feeds_reader reads loads');

-- The strict timestamp parser on its own.
SELECT is(dba._to_timestamp('29/02/2012 23:59', 'DD/MM/YYYY HH24:MI'), '2012-02-29 23:59'::timestamp, 'a leap day parses');
SELECT is(dba._to_timestamp('29/02/2013 10:00', 'DD/MM/YYYY HH24:MI'), NULL, 'a non-leap 29 February does not');
SELECT is(dba._to_timestamp('08/02/2013 24:00', 'DD/MM/YYYY HH24:MI'), NULL, 'hour 24 does not');

SELECT * FROM finish();
ROLLBACK;
