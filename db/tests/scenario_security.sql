-- Hostile file names and headers; feeds_etl cannot read server files; nothing outside the
-- job's target and the dba tables changes.
BEGIN;
SELECT plan(12);
\ir fixtures/engine.psql

CREATE TABLE eng_fx.bystander (x int);
INSERT INTO eng_fx.bystander VALUES (1);
CREATE TEMP TABLE before_tables AS
SELECT c.oid::regclass::text AS t FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace
 WHERE c.relkind = 'r' AND n.nspname NOT IN ('pg_catalog', 'information_schema', 'pg_toast') AND n.nspname NOT LIKE 'pg_temp%';

SELECT pg_temp.job('sec', '^sec_.*\.csv$', '[{"source":"code\"; DROP TABLE eng_fx.bystander; --","target":"code"},{"source":"qty","target":"qty","type":"integer"}]');
SELECT pg_temp.deliver('sec_a''; DROP TABLE eng_fx.bystander; --.csv',
                          E'"code""; DROP TABLE eng_fx.bystander; --",qty\n"x'');DELETE FROM eng_fx.bystander;--",1\n$$;TRUNCATE eng_fx.bystander;$$,2\n');
CREATE TEMP TABLE r AS SELECT * FROM dba.run_import(p_job => 'sec');
SELECT is((SELECT status FROM r), 'loaded', 'a file with a hostile name and hostile values loads as data');
SELECT results_eq($have$SELECT code FROM eng_fx.events ORDER BY qty$have$,
                  $want$VALUES ('x'');DELETE FROM eng_fx.bystander;--'), ('$$;TRUNCATE eng_fx.bystander;$$')$want$,
                  'hostile values arrive verbatim');
SELECT is((SELECT count(*) FROM eng_fx.bystander), 1::bigint, 'the bystander table is untouched');
SELECT set_eq($$SELECT c.oid::regclass::text FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace
                 WHERE c.relkind = 'r' AND n.nspname NOT IN ('pg_catalog', 'information_schema', 'pg_toast') AND n.nspname NOT LIKE 'pg_temp%'$$,
              $$SELECT t FROM before_tables$$, 'no table was created or dropped');

SELECT throws_ok($$SELECT * FROM dba.run_import(p_file => '../../etc/passwd')$$, 'FD011', NULL, 'p_file may not climb out');
SELECT throws_ok($$SELECT * FROM dba.register_file('sec', 'sec_/x.csv', repeat('a', 64), 1)$$, 'FD011', NULL, 'register_file refuses a path');
SELECT throws_ok($$SELECT * FROM dba.begin_load('sec', E'sec_\t.csv', repeat('a', 64), 1)$$, 'FD011', NULL, 'begin_load refuses control characters');
SELECT throws_ok($$SELECT * FROM dba.begin_load('sec', '.sec_x.csv', repeat('a', 64), 1)$$, 'FD011', NULL, 'begin_load refuses dot-files');

SET LOCAL ROLE feeds_etl;
SELECT throws_ok($$SELECT pg_read_file('/etc/passwd')$$, '42501', NULL, 'feeds_etl cannot read server files');
SELECT throws_ok($$COPY eng_fx.events (code) FROM '/etc/hostname'$$, '42501', NULL, 'feeds_etl cannot COPY from server files');
SELECT throws_ok($$UPDATE dba.timportconfig SET processing_dir = '/etc' WHERE job_name = 'sec'$$, '42501', NULL,
                 'feeds_etl cannot point a job at another directory');
SELECT throws_ok($$SELECT dba._process_load(1, false)$$, '42501', NULL, 'feeds_etl cannot call internal helpers');
RESET ROLE;

SELECT * FROM finish();
ROLLBACK;
