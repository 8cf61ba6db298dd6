-- Values that do not fit their target column (precision, scale, length, range) are row rejects
-- with line, column and value, never a failed file and never a silent rounding; any header width
-- is read; a layout error wins over anything internal, and no staging table outlives its load.
BEGIN;
SELECT plan(19);
\ir fixtures/engine.psql

CREATE TABLE eng_fx.money (code varchar(5), amount numeric(12,2), small smallint, whole integer,
                           load_id bigint, line_no bigint);
GRANT SELECT, INSERT, UPDATE, DELETE ON eng_fx.money TO feeds_owner;
SELECT pg_temp.job('vf', '^vf_\d+\.csv$', '[{"source":"code","target":"code"},
  {"source":"amount","target":"amount","type":"numeric"},{"source":"small","target":"small","type":"integer"},
  {"source":"whole","target":"whole","type":"numeric"}]', 'eng_fx.money');

SELECT pg_temp.deliver('vf_1.csv', E'code,amount,small,whole\nA,1e309,1,1\nB,99.999,2,2\nCCCCCC,1,3,3\nD,1,40000,4\nE,1,5,5.5\nF,12345678901,6,6\nG,-99999999.99,-7,7\n');
CREATE TEMP TABLE r1 AS SELECT * FROM dba.run_import(p_file => 'vf_1.csv');
SELECT is((SELECT status FROM r1), 'loaded_with_rejects', 'values that do not fit are row rejects, the file loads');
SELECT results_eq($$SELECT line_no, column_name, raw_value, rule FROM dba.tloaderror WHERE load_id = (SELECT load_id FROM r1) ORDER BY line_no$$,
                  $$VALUES (2::bigint, 'amount', '1e309', 'fit'), (3, 'amount', '99.999', 'rounding'), (4, 'code', 'CCCCCC', 'fit'),
                           (5, 'small', '40000', 'fit'), (6, 'whole', '5.5', 'rounding'), (7, 'amount', '12345678901', 'fit')$$,
                  'each with its line, column, value and rule');
SELECT is((SELECT message FROM dba.tloaderror WHERE load_id = (SELECT load_id FROM r1) AND line_no = 2),
          'vf_1.csv line 2 column amount: ''1e309'' is too large for numeric(12,2) (at most 10 digits before the decimal point)',
          'the message names file, line, column, value and the declared type');
SELECT matches((SELECT message FROM dba.tloaderror WHERE load_id = (SELECT load_id FROM r1) AND line_no = 3),
               'more precise than numeric\(12,2\) keeps \(2 decimals\); it would be rounded', 'rounding is named as such');
SELECT matches((SELECT message FROM dba.tloaderror WHERE load_id = (SELECT load_id FROM r1) AND line_no = 4),
               'longer than character varying\(5\) allows', 'a value too long for varchar(n) says so');
SELECT matches((SELECT message FROM dba.tloaderror WHERE load_id = (SELECT load_id FROM r1) AND line_no = 5),
               'out of range for smallint', 'an integer out of its column''s range says so');
SELECT results_eq($$SELECT code, amount FROM eng_fx.money$$, $$VALUES ('G'::varchar, -99999999.99::numeric)$$,
                  'the value at the very limit loads');

-- "round": true: the job allows rounding, the value loads rounded.
UPDATE dba.timportconfig SET column_map = jsonb_set(jsonb_set(column_map, '{1,round}', 'true'), '{3,round}', 'true')
 WHERE job_name = 'vf';
SELECT pg_temp.deliver('vf_2.csv', E'code,amount,small,whole\nB,99.999,2,5.5\nH,1e309,1,1\n');
CREATE TEMP TABLE r2 AS SELECT * FROM dba.run_import(p_file => 'vf_2.csv');
SELECT results_eq($$SELECT code, amount, whole FROM eng_fx.money WHERE load_id = (SELECT load_id FROM r2)$$,
                  $$VALUES ('B'::varchar, 100.00::numeric, 6)$$, 'with "round": true the value loads rounded');
SELECT is((SELECT rule FROM dba.tloaderror WHERE load_id = (SELECT load_id FROM r2)), 'fit',
          'a value too large is still a reject with "round": true');

-- The checks, by value.
SELECT results_eq($$SELECT rule, cond FROM dba._fit_rules('numeric', 'numeric', 786438, 's.t1')$$,
                  $$VALUES ('fit', 'abs(round(s.t1, 2)) >= 10000000000'), ('rounding', 's.t1 <> round(s.t1, 2)')$$,
                  'numeric(12,2): the digits before the point, and the scale');
SELECT results_eq($$SELECT rule, cond FROM dba._fit_rules('numeric', 'numeric', 786438, 's.t1', true)$$,
                  $$VALUES ('fit', 'abs(round(s.t1, 2)) >= 10000000000')$$, 'no rounding check when the job allows rounding');
SELECT results_eq($$SELECT rule, cond FROM dba._fit_rules('integer', 'smallint', -1, 's.t2')$$,
                  $$VALUES ('fit', 'round(s.t2) NOT BETWEEN -32768 AND 32767')$$, 'integer into smallint: the range');
SELECT is((SELECT count(*) FROM dba._fit_rules('integer', 'integer', -1, 's.t2')), 0::bigint,
          'integer into integer needs no check (the type check holds its range)');
SELECT is((SELECT count(*) FROM dba._fit_rules('text', 'text', -1, 's.t3')), 0::bigint, 'text into text needs none');

-- A header of any width: 10,000 columns with a quoted field, the mapped ones taken by name.
SELECT pg_temp.job('vw', '^vw_\d+\.csv$', '[{"source":"code","target":"code"},{"source":"qty","target":"qty","type":"integer"}]',
                   'eng_fx.events', 'append', '{}', '{"header_policy":"ignore_extra"}');
SELECT pg_temp.deliver('vw_1.csv', (SELECT string_agg('c' || n, ',') FROM generate_series(1, 9998) n) || E',code,qty\n'
                                      || repeat('x,', 9997) || E'"q, r",a,1\n');
SELECT is((SELECT (status, rows_inserted)::text FROM dba.run_import(p_file => 'vw_1.csv')), '(loaded,1)',
          'a quoted file of 10,000 columns loads its mapped columns');

-- A job that maps more columns than validation can hold (1600 columns of work) is refused
-- with FD020 naming the limit, not with an internal error.
SELECT format('CREATE TABLE eng_fx.wide (%s, load_id bigint)', string_agg(format('w%s text', n), ', ')) FROM generate_series(1, 800) n \gexec
GRANT SELECT, INSERT, UPDATE, DELETE ON eng_fx.wide TO feeds_owner;
SELECT pg_temp.job('vx', '^vx_\d+\.csv$', (SELECT jsonb_agg(jsonb_build_object('target', 'w' || n)) FROM generate_series(1, 800) n),
                   'eng_fx.wide', 'append', '{}', '{"has_header":false}');
SELECT pg_temp.deliver('vx_1.csv', repeat('a,', 799) || E'a\n');
SELECT is((SELECT status FROM dba.run_import(p_file => 'vx_1.csv')), 'loaded', 'a clean file of 800 columns loads (direct path)');
SELECT pg_temp.deliver('vx_2.csv', repeat('a,', 799) || E'b\n' || repeat('a,', 798) || E'a\n');
SELECT matches((SELECT message FROM dba.run_import(p_file => 'vx_2.csv')),
               '^\[FD020\] layout error: vx_2.csv: the job maps 800 columns; validating a row needs 1605 columns, more than PostgreSQL''s limit of 1600$',
               'one that needs full validation is refused with FD020 naming the limit');

-- A quoted field over two lines in a file whose header does not match: the header error.
SELECT pg_temp.job('vh', '^vh_\d+\.csv$', '[{"source":"code","target":"code"},{"source":"qty","target":"qty","type":"integer"},{"source":"note","target":"note"}]');
SELECT pg_temp.deliver('vh_1.csv', E'code,qtyx,note\na,1,"two\nlines"\n');
CREATE TEMP TABLE r3 AS SELECT * FROM dba.run_import(p_file => 'vh_1.csv');
SELECT is((SELECT (d.status, d.error_sqlstate)::text FROM dba.tdataloads d WHERE d.load_id = (SELECT load_id FROM r3)),
          '(failed,FD020)', 'the header error wins over anything internal');
SELECT is((SELECT string_agg(relname, ', ') FROM pg_class
            WHERE relnamespace = 'stage'::regnamespace AND relkind <> 'S' AND relname LIKE format('load\_%s\_%%', (SELECT load_id FROM r3))),
          NULL, 'no joined-records or validation table of the failed load is left behind');

SELECT * FROM finish();
ROLLBACK;
