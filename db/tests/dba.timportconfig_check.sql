-- A job that cannot work is refused when it is inserted or updated (FD010), with a clear message.
BEGIN;
SELECT plan(16);
\ir fixtures/engine.psql

SELECT lives_ok($$SELECT pg_temp.job('ok_job', '^ok\.csv$', '[{"source":"code","target":"code"}]')$$, 'a sound job is accepted');
SELECT throws_like($$SELECT pg_temp.job('bad_re', '^a(\.csv$', '[{"source":"code","target":"code"}]')$$,
                   '%file_pattern%does not compile%', 'a regex that does not compile is refused');
SELECT throws_ok($$SELECT pg_temp.job('bad_anchor', 'a\.csv', '[{"source":"code","target":"code"}]')$$,
                 '23514', NULL, 'an unanchored pattern is refused');
SELECT throws_like($$SELECT pg_temp.job('no_table', '^a\.csv$', '[{"source":"code","target":"code"}]', 'eng_fx.nope')$$,
                   '%target table%does not exist%', 'a missing target table is refused');
CREATE TABLE eng_fx.no_load_id (code text);
GRANT ALL ON eng_fx.no_load_id TO feeds_owner;
SELECT throws_like($$SELECT pg_temp.job('no_lid', '^a\.csv$', '[{"source":"code","target":"code"}]', 'eng_fx.no_load_id')$$,
                   '%has no load_id bigint column%', 'a target without load_id is refused');
SELECT throws_like($$SELECT pg_temp.job('bad_col', '^a\.csv$', '[{"source":"code","target":"nope"}]')$$,
                   '%targets column nope%', 'a map to an unknown column is refused');
SELECT throws_like($$SELECT pg_temp.job('bad_type', '^a\.csv$', '[{"source":"code","target":"code","type":"money"}]')$$,
                   '%unknown type%', 'an unknown type is refused');
SELECT throws_like($$SELECT pg_temp.job('bad_fmt', '^a\.csv$', '[{"source":"code","target":"qty","type":"date","format":"HH24:MI"}]')$$,
                   '%date format%needs YYYY, MM and DD%', 'a date format without a date is refused');
SELECT throws_like($$SELECT pg_temp.job('bad_round', '^a\.csv$', '[{"source":"code","target":"qty","type":"numeric","round":"yes"}]')$$,
                   '%"round" of column qty must be true or false%', 'a round option that is not a boolean is refused');
SELECT throws_like($$SELECT pg_temp.job('bad_rule', '^a\.csv$', '[{"source":"code","target":"code","rules":{"shout":1}}]')$$,
                   '%unknown rule%', 'an unknown rule is refused');
SELECT throws_like($$SELECT pg_temp.job('bad_key', '^a\.csv$', '[{"source":"code","target":"code"}]', 'eng_fx.events', 'upsert', '{qty}')$$,
                   '%key column qty is not in the column map%', 'key columns must be mapped');
SELECT throws_like($$SELECT pg_temp.job('no_uniq', '^a\.csv$', '[{"source":"code","target":"code"}]', 'eng_fx.events', 'upsert', '{code}')$$,
                   '%upsert needs a unique index%', 'upsert needs a unique index on the keys');
SELECT throws_ok($$SELECT pg_temp.job('bad_mode', '^a\.csv$', '[{"source":"code","target":"code"}]', 'eng_fx.events', 'merge')$$,
                 '23514', NULL, 'an unknown load mode is refused');
SELECT throws_like($$SELECT pg_temp.job('bad_hook', '^a\.csv$', '[{"source":"code","target":"code"}]', 'eng_fx.events', 'append', '{}', '{"post_load_hook":"eng_fx.nope"}')$$,
                   '%post-load hook%does not exist%', 'a missing hook is refused');
SELECT throws_ok($$UPDATE dba.timportconfig SET processing_dir = '/srv/../etc' WHERE job_name = 'ok_job'$$,
                 '23514', NULL, 'directories may not climb with ..');
SELECT throws_ok($$UPDATE dba.timportconfig SET target_table = 'eng_fx.nope' WHERE job_name = 'ok_job'$$,
                 'FD010', NULL, 'updates are checked too');

SELECT * FROM finish();
ROLLBACK;
