-- Structure, comments and privileges of the visitas schema.
BEGIN;
SELECT plan(17);

SELECT has_schema('visitas');
SELECT schema_owner_is('visitas', 'feeds_owner');
SELECT tables_are('visitas', ARRAY['statistics', 'errors', 'visitor', 'visitor_load']);
SELECT table_owner_is('visitas', t, 'feeds_owner', 'visitas.' || t || ' is owned by feeds_owner')
  FROM unnest(ARRAY['statistics', 'errors', 'visitor', 'visitor_load']) t;
SELECT view_owner_is('visitas', 'monthly_control', 'feeds_owner', 'visitas.monthly_control is owned by feeds_owner');
SELECT columns_are('visitas', 'statistics', ARRAY['statistics_id', 'load_id', 'line_no', 'email', 'jyv', 'badmail',
       'baja', 'fecha_envio', 'fecha_open', 'opens', 'opens_virales', 'fecha_click', 'clicks', 'clicks_virales',
       'links', 'ips', 'navegadores', 'plataformas']);
SELECT col_type_is('visitas', 'statistics', 'load_id', 'bigint', 'statistics.load_id is bigint (engine target)');
SELECT col_is_unique('visitas', 'visitor', ARRAY['email'], 'one visitor per e-mail address');
SELECT is(count(*), 0::bigint, 'every visitas table, view and column has a COMMENT')
  FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace
  LEFT JOIN pg_attribute a ON a.attrelid = c.oid AND a.attnum > 0 AND NOT a.attisdropped
 WHERE n.nspname = 'visitas' AND c.relkind IN ('r', 'v')
   AND (obj_description(c.oid, 'pg_class') IS NULL
        OR (a.attnum IS NOT NULL AND col_description(c.oid, a.attnum) IS NULL));
SELECT is(count(*), 0::bigint, 'every visitas function is commented, owned by feeds_owner and not executable by PUBLIC')
  FROM pg_proc p JOIN pg_namespace n ON n.oid = p.pronamespace
 WHERE n.nspname = 'visitas'
   AND (obj_description(p.oid, 'pg_proc') IS NULL OR p.proowner <> 'feeds_owner'::regrole
        OR has_function_privilege('public', p.oid, 'execute'));
SELECT ok(NOT has_table_privilege('feeds_reader', 'visitas.visitor', 'INSERT, UPDATE, DELETE, TRUNCATE'),
          'feeds_reader only reads');
SELECT col_is_unique('visitas', 'visitor_load', ARRAY['load_id', 'email'], 'one contribution per load and visitor');
SELECT has_column('dba', 'timportconfig', 'undo_hook', 'dba.timportconfig has an undo_hook column');
SELECT is_definer('visitas', 'collect_errors', ARRAY['uuid'], 'collect_errors is SECURITY DEFINER (feeds_etl calls it)');

SELECT * FROM finish();
ROLLBACK;
