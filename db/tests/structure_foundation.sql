-- Structure and privileges of the foundation objects.
BEGIN;
SELECT plan(33);

SELECT has_role('feeds_owner');
SELECT has_role('feeds_etl');
SELECT has_role('feeds_reader');
SELECT ok(NOT rolcanlogin, 'feeds_owner cannot log in') FROM pg_roles WHERE rolname = 'feeds_owner';
SELECT ok(rolcanlogin, 'feeds_etl can log in') FROM pg_roles WHERE rolname = 'feeds_etl';
SELECT ok(NOT rolsuper AND NOT rolcreaterole AND NOT rolcreatedb, 'feeds_etl has no special powers')
  FROM pg_roles WHERE rolname = 'feeds_etl';
SELECT ok(NOT pg_has_role('feeds_etl', 'pg_read_server_files', 'USAGE'), 'feeds_etl cannot read server files');

SELECT has_schema('dba');
SELECT has_schema('stage');
SELECT schema_owner_is('dba', 'feeds_owner');
SELECT schema_owner_is('stage', 'feeds_owner');

SELECT has_table('dba', 'timportconfig', 'dba.timportconfig exists');
SELECT has_table('dba', 'tdataloads', 'dba.tdataloads exists');
SELECT has_table('dba', 'tlogentry', 'dba.tlogentry exists');
SELECT has_table('dba', 'tloaderror', 'dba.tloaderror exists');
SELECT has_table('dba', 'trun', 'dba.trun exists');
SELECT table_owner_is('dba', t, 'feeds_owner', 'dba.' || t || ' is owned by feeds_owner')
  FROM unnest(ARRAY['timportconfig', 'tdataloads', 'tlogentry', 'tloaderror', 'trun']) t;

SELECT columns_are('dba', 'tlogentry', ARRAY['log_id', 'entry_uuid', 'logged_at', 'run_uuid',
       'process_type', 'step_counter', 'user_name', 'step_runtime', 'total_runtime', 'level', 'load_id',
       'message', 'replayed']);
SELECT has_index('dba', 'tdataloads', 'tdataloads_config_sha256_key', 'exactly-once index exists');
SELECT is_indexed('dba', 'tloaderror', ARRAY['load_id', 'line_no']);

-- Every table and column of the dba schema has a comment.
SELECT is(count(*), 0::bigint, 'every dba table and column has a COMMENT')
  FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace
  LEFT JOIN pg_attribute a ON a.attrelid = c.oid AND a.attnum > 0 AND NOT a.attisdropped
 WHERE n.nspname = 'dba' AND c.relkind IN ('r', 'v')
   AND (obj_description(c.oid, 'pg_class') IS NULL
        OR (a.attnum IS NOT NULL AND col_description(c.oid, a.attnum) IS NULL));

-- Every function in dba: owned by feeds_owner, not executable by PUBLIC, commented;
-- SECURITY DEFINER ones pin search_path.
SELECT is(count(*), 0::bigint, 'no dba function is executable by PUBLIC')
  FROM pg_proc p JOIN pg_namespace n ON n.oid = p.pronamespace
 WHERE n.nspname = 'dba' AND p.prokind = 'f' AND has_function_privilege('public', p.oid, 'execute');
SELECT is(count(*), 0::bigint, 'every dba function is owned by feeds_owner')
  FROM pg_proc p JOIN pg_namespace n ON n.oid = p.pronamespace
 WHERE n.nspname = 'dba' AND p.proowner <> 'feeds_owner'::regrole;
SELECT is(count(*), 0::bigint, 'every SECURITY DEFINER function sets search_path')
  FROM pg_proc p JOIN pg_namespace n ON n.oid = p.pronamespace
 WHERE n.nspname IN ('dba', 'meetmax', 'visitas') AND p.prosecdef
   AND NOT EXISTS (SELECT 1 FROM unnest(p.proconfig) c WHERE c LIKE 'search_path=%');
SELECT is(count(*), 0::bigint, 'every public dba function has a COMMENT')
  FROM pg_proc p JOIN pg_namespace n ON n.oid = p.pronamespace
 WHERE n.nspname = 'dba' AND p.proname !~ '^_' AND obj_description(p.oid, 'pg_proc') IS NULL;
SELECT is(count(*), 0::bigint, 'internal _helpers are executable by nobody but the owner')
  FROM pg_proc p JOIN pg_namespace n ON n.oid = p.pronamespace
 WHERE n.nspname = 'dba' AND p.proname ~ '^_'
   AND (has_function_privilege('feeds_etl', p.oid, 'execute')
        OR has_function_privilege('feeds_reader', p.oid, 'execute'));

SELECT is_definer('dba', 'log', ARRAY['uuid', 'text', 'text', 'text', 'bigint', 'text', 'timestamp with time zone', 'uuid']);
SELECT function_privs_are('dba', 'start_run', ARRAY['text', 'date'], 'feeds_etl', ARRAY['EXECUTE']);
SELECT function_privs_are('dba', 'start_run', ARRAY['text', 'date'], 'feeds_reader', ARRAY[]::text[]);

SELECT * FROM finish();
ROLLBACK;
