-- Structure and privileges of the MeetMax job's tables.
BEGIN;
SELECT plan(28);

SELECT has_schema('meetmax');
SELECT schema_owner_is('meetmax', 'feeds_owner');
SELECT has_table('meetmax', 'url_check', 'meetmax.url_check exists');
SELECT has_table('meetmax', 'company_list', 'meetmax.company_list exists');
SELECT has_table('meetmax', 'download', 'meetmax.download exists (what the downloader fetched and saved)');
SELECT table_privs_are('meetmax', 'download', 'feeds_etl', ARRAY['SELECT'], 'feeds_etl writes downloads only through the functions');
SELECT is(count(*), 0::bigint, 'every meetmax function is commented, owned by feeds_owner and not executable by PUBLIC')
  FROM pg_proc p JOIN pg_namespace n ON n.oid = p.pronamespace
 WHERE n.nspname = 'meetmax'
   AND (obj_description(p.oid, 'pg_proc') IS NULL OR p.proowner <> 'feeds_owner'::regrole
        OR has_function_privilege('public', p.oid, 'execute'));
SELECT table_owner_is('meetmax', t, 'feeds_owner', 'meetmax.' || t || ' is owned by feeds_owner')
  FROM unnest(ARRAY['url_check', 'company_list']) t;

SELECT columns_are('meetmax', 'url_check', ARRAY['event_id', 'url', 'if_exists', 'is_private',
       'invalid_event_id', 'is_downloadable', 'download_link', 'status_code', 'title', 'checked_at', 'load_id']);
SELECT columns_are('meetmax', 'company_list', ARRAY['company_list_id', 'event_id', 'company_name', 'ticker',
       'load_id']);
SELECT col_type_is('meetmax', t, 'load_id', 'bigint', 'meetmax.' || t || '.load_id is bigint')
  FROM unnest(ARRAY['url_check', 'company_list']) t;
SELECT col_not_null('meetmax', t, 'load_id', 'meetmax.' || t || '.load_id is NOT NULL')
  FROM unnest(ARRAY['url_check', 'company_list']) t;
SELECT col_is_unique('meetmax', 'url_check', ARRAY['event_id'], 'one url_check row per event (upsert key)');
SELECT col_is_unique('meetmax', 'company_list', ARRAY['event_id', 'company_name'],
       'one company_list row per event and company (upsert key)');

SELECT is(count(*), 0::bigint, 'every meetmax table and column has a COMMENT')
  FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace
  LEFT JOIN pg_attribute a ON a.attrelid = c.oid AND a.attnum > 0 AND NOT a.attisdropped
 WHERE n.nspname = 'meetmax' AND c.relkind IN ('r', 'v')
   AND (obj_description(c.oid, 'pg_class') IS NULL
        OR (a.attnum IS NOT NULL AND col_description(c.oid, a.attnum) IS NULL));

-- Least privilege: both roles read url_check (the downloader needs it), only readers read the lists,
-- nobody but the owner (the engine's SECURITY DEFINER functions) writes.
SELECT table_privs_are('meetmax', 'url_check', 'feeds_etl', ARRAY['SELECT']);
SELECT table_privs_are('meetmax', 'url_check', 'feeds_reader', ARRAY['SELECT']);
SELECT table_privs_are('meetmax', 'company_list', 'feeds_etl', ARRAY[]::text[]);
SELECT table_privs_are('meetmax', 'company_list', 'feeds_reader', ARRAY['SELECT']);
SELECT table_privs_are('meetmax', 'url_check', 'public', ARRAY[]::text[]);

-- The constraints a user meets.
INSERT INTO meetmax.url_check (event_id, url, checked_at, load_id) VALUES (1, 'http://x/1', now(), 1);
SELECT throws_ok($$INSERT INTO meetmax.url_check (event_id, url, checked_at, load_id)
                  VALUES (1, 'http://x/1', now(), 2)$$, '23505', NULL, 'a second row for an event is refused');
SELECT throws_ok($$INSERT INTO meetmax.url_check (event_id, url, checked_at) VALUES (2, 'http://x/2', now())$$,
                 '23502', NULL, 'a row without load_id is refused');
SELECT throws_ok($$INSERT INTO meetmax.company_list (event_id, company_name, load_id) VALUES (1, '  ', 1)$$,
                 '23514', NULL, 'a blank company name is refused');

SET LOCAL ROLE feeds_etl;
SELECT results_eq('SELECT event_id FROM meetmax.url_check WHERE event_id = 1', ARRAY[1],
                  'feeds_etl reads url_check');
SELECT throws_ok('SELECT * FROM meetmax.company_list', '42501', NULL, 'feeds_etl cannot read company_list');
RESET ROLE;

SELECT * FROM finish();
ROLLBACK;
