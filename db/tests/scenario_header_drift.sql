-- Header drift policies: strict, ignore_extra, by_position; header name variants.
BEGIN;
SELECT plan(10);
\ir fixtures/engine.psql

SELECT pg_temp.job('hd', '^hd_\d+\.csv$', '[{"source":["Code","Product Code"],"target":"code"},{"source":"qty","target":"qty","type":"integer"}]');

SELECT pg_temp.deliver('hd_1.csv', E'qty,code\n1,a\n');
CREATE TEMP TABLE r1 AS SELECT * FROM dba.run_import(p_file => 'hd_1.csv');
SELECT is((SELECT status FROM r1), 'failed', 'strict: columns in another order fail the file');
SELECT matches((SELECT message FROM r1), '^\[FD020\] layout error: hd_1.csv line 1 column 1: header ''qty'', expected ''Code'' or ''Product Code''',
               'the layout error names file, line, column, found and expected');
SELECT is((SELECT rule FROM dba.tloaderror WHERE load_id = (SELECT load_id FROM r1) LIMIT 1), 'header', 'and is kept as a header error');

SELECT pg_temp.deliver('hd_2.csv', E'code,qty,extra\n1,2,3\n');
SELECT matches((SELECT message FROM dba.run_import(p_file => 'hd_2.csv')), 'the header has 3 columns, the job expects 2',
               'strict: an extra column fails the file');

SELECT pg_temp.deliver('hd_3.csv', E' PRODUCT CODE ,qty\nb,2\n');
SELECT is((SELECT status FROM dba.run_import(p_file => 'hd_3.csv')), 'loaded', 'any accepted header name matches, ignoring case and blanks');

UPDATE dba.timportconfig SET header_policy = 'ignore_extra' WHERE job_name = 'hd';
SELECT pg_temp.deliver('hd_4.csv', E'note,qty,whatever,code\nx,4,y,c\n');
SELECT is((SELECT status FROM dba.run_import(p_file => 'hd_4.csv')), 'loaded', 'ignore_extra: mapped columns found by name');
SELECT is((SELECT qty FROM eng_fx.events WHERE code = 'c'), 4, 'ignore_extra: values come from the named columns');
SELECT pg_temp.deliver('hd_5.csv', E'note,code\nx,d\n');
SELECT matches((SELECT message FROM dba.run_import(p_file => 'hd_5.csv')), 'column ''qty'' is missing from the header',
               'ignore_extra: a missing mapped column fails the file');

UPDATE dba.timportconfig SET header_policy = 'by_position' WHERE job_name = 'hd';
SELECT pg_temp.deliver('hd_6.csv', E'anything,at all,more\ne,6,z\n');
SELECT is((SELECT status FROM dba.run_import(p_file => 'hd_6.csv')), 'loaded', 'by_position: names are ignored');
SELECT is((SELECT qty FROM eng_fx.events WHERE code = 'e'), 6, 'by_position: values by position');

SELECT * FROM finish();
ROLLBACK;
