-- dba.draft_job() and its helpers: dialect, encoding, types, formats, rules, names, the script,
-- its dry run, the sample of a large file, and which files the server may read for it.
BEGIN;
SELECT plan(53);
\ir fixtures/engine.psql

-- A plan from a sample given as text (written in p_encoding), read whole.
CREATE FUNCTION pg_temp.plan(p_name text, p_content text, p_encoding text DEFAULT 'UTF8', p_mode text DEFAULT 'append')
RETURNS dba.draft_plan LANGUAGE sql AS $$
    SELECT dba._draft_plan(p_name, octet_length(convert_to(p_content, p_encoding)), ARRAY[convert_to(p_content, p_encoding)],
                           p_mode => p_mode)
$$;
-- One column of a plan, by target name.
CREATE FUNCTION pg_temp.col(p_plan dba.draft_plan, p_target text) RETURNS jsonb LANGUAGE sql AS $$
    SELECT c FROM jsonb_array_elements(p_plan.columns) c WHERE c -> 'map' ->> 'target' = p_target
$$;
CREATE FUNCTION pg_temp.targets(p_plan dba.draft_plan) RETURNS text[] LANGUAGE sql AS $$
    SELECT array_agg(c -> 'map' ->> 'target' ORDER BY (c ->> 'position')::int) FROM jsonb_array_elements(p_plan.columns) c
$$;

-- Structure and privileges.
SELECT is_definer('dba', 'draft_job', ARRAY['text', 'text', 'text', 'text', 'text'], 'draft_job is SECURITY DEFINER');
SELECT is_definer('dba', 'draft_job_from_sample', ARRAY['text', 'bigint', 'bytea[]', 'text', 'text', 'text', 'text'],
                  'draft_job_from_sample is SECURITY DEFINER');
SELECT ok(has_function_privilege('feeds_etl', 'dba.draft_job_from_sample(text, bigint, bytea[], text, text, text, text)', 'EXECUTE'),
          'feeds_etl may draft from a sample it sends');
SELECT ok(NOT has_function_privilege('feeds_etl', 'dba.draft_job(text, text, text, text, text)', 'EXECUTE'),
          'feeds_etl may not have the server read a file for a draft');
SELECT ok(NOT has_function_privilege('feeds_reader', 'dba._draft_plan(text, bigint, bytea[], text, text, text, text)', 'EXECUTE'),
          'the helpers are the owner''s');

-- The sample of a large file: the first 128 KiB and 8 pieces spread over the rest.
SELECT is((SELECT array_agg(byte_offset || ':' || byte_count) FROM dba.draft_sample_ranges(1000)), '{0:1000}', 'a small file is read whole');
SELECT is((SELECT count(*) FROM dba.draft_sample_ranges(10000000) WHERE byte_offset + byte_count <= 10000000), 9::bigint,
          'a large file: 9 ranges inside the file');
SELECT is((SELECT count(DISTINCT l) FROM unnest((dba._draft_lines(ARRAY[convert_to(E'id\n1\n22', 'UTF8'), convert_to(E'3\n44\n5', 'UTF8')], 300000)).lines) l),
          3::bigint, 'partial lines at the cuts are dropped');

-- Encodings told apart by their bytes, and line endings.
SELECT is((dba._draft_lines(ARRAY[convert_to(E'a;b\nCafé;niño\n', 'UTF8')], length(convert_to(E'a;b\nCafé;niño\n', 'UTF8')))).encoding, 'UTF8', 'UTF-8');
SELECT is((dba._draft_lines(ARRAY[convert_to(E'a;b\nCafé;niño\n', 'LATIN1')], length(convert_to(E'a;b\nCafé;niño\n', 'LATIN1')))).encoding, 'LATIN1', 'Latin-1');
SELECT is((dba._draft_lines(ARRAY['\x613b620a8020313b9363619409'::bytea], length('\x613b620a8020313b9363619409'::bytea))).encoding, 'WIN1252',
          'bytes 0x80-0x9F that Windows-1252 prints: WIN1252');
SELECT is((dba._draft_lines(ARRAY['\x613b620a81313b630a'::bytea], length('\x613b620a81313b630a'::bytea))).encoding, 'LATIN1',
          'a byte Windows-1252 does not define (0x81): LATIN1');
SELECT is((dba._draft_lines(ARRAY['\x613b620a8020313b9363619409'::bytea], length('\x613b620a8020313b9363619409'::bytea))).lines[2], E'€ 1;“ca”\t', 'WIN1252 lines are decoded');
SELECT is((dba._draft_lines(ARRAY[convert_to(E'a\r\nb\r\n', 'UTF8')], length(convert_to(E'a\r\nb\r\n', 'UTF8')))).line_ending, 'CRLF', 'CRLF');
SELECT is((dba._draft_lines(ARRAY[convert_to(E'a\rb\r', 'UTF8')], length(convert_to(E'a\rb\r', 'UTF8')))).line_ending, 'CR', 'CR');
SELECT is((dba._draft_lines(ARRAY[convert_to(E'a\r\nb\nc', 'UTF8')], length(convert_to(E'a\r\nb\nc', 'UTF8')))).line_ending, 'mixed', 'mixed');

-- A plain CSV.
CREATE TEMP TABLE p1 AS SELECT pg_temp.plan('customers_20261102.csv', E'id,name,email,signup,score,active,status\n'
    '1,Ada,ada@example.com,2026-01-15,1.5,yes,new\n2,Grace,grace@example.com,2026-02-01,2,no,old\n'
    '3,Edsger,edsger@example.com,2026-03-10,3.25,yes,new\n4,Barbara,barbara@example.com,2026-04-22,4,no,new\n') AS p;
SELECT is((SELECT ((p).delimiter, (p).quote_char, (p).has_header, (p).skip_lines, (p).encoding, (p).line_ending)::text FROM p1), '(",","""",t,0,UTF8,LF)',
          'plain CSV: comma, double quote, a header, nothing skipped, UTF8, LF');
SELECT is((SELECT array_agg(c ->> 'sql_type' ORDER BY (c ->> 'position')::int) FROM p1, jsonb_array_elements((p1.p).columns) c),
          '{integer,text,text,date,numeric,boolean,text}', 'plain CSV: integer, text, date, numeric, boolean');
SELECT is((SELECT ((p).job_name, (p).file_pattern, (p).file_type, (p).target_table, (p).candidate_key)::text FROM p1),
          '(customers,"^customers_\\d{8}\\.csv$",csv,public.customers,id)', 'job, pattern with the date generalised, table, candidate key');
SELECT is((SELECT pg_temp.col(p, 'email') -> 'map' -> 'rules' ->> 'email' FROM p1), 'true', 'an e-mail column gets the email rule');
SELECT is((SELECT pg_temp.col(p, 'status') -> 'map' -> 'rules' -> 'allowed' FROM p1), '["new", "old"]',
          'a small set of values gets allowed');
SELECT is((SELECT pg_temp.col(p, 'name') -> 'map' -> 'rules' ->> 'max_length' FROM p1), '20',
          'text gets max_length: twice the longest (7), rounded up');
SELECT is((SELECT pg_temp.col(p, 'id') -> 'map' ->> 'required' FROM p1), 'true', 'a column never empty is required');
SELECT is((SELECT dba._draft_dry_run(p) FROM p1),
          ARRAY['-- dry run of the whole file (5 lines) through this job: 4 rows read, 4 would load, 0 would be rejected'],
          'plain CSV: the dry run loads every row');

-- Semicolons, Latin-1, DD/MM/YYYY, decimal commas.
CREATE TEMP TABLE p2 AS SELECT pg_temp.plan('ventas_7.txt', E'Código;Fecha;Importe\r\nA1;25/12/2026;1.234,50\r\nA2;01/02/2026;12,00\r\nA3;13/02/2026;7,5\r\n', 'LATIN1') AS p;
SELECT is((SELECT ((p).delimiter, (p).encoding, (p).line_ending, (p).file_type, (p).file_pattern)::text FROM p2), '(;,LATIN1,CRLF,txt,"^ventas_\\d+\\.txt$")',
          'semicolons, Latin-1, CRLF; a short number in the name becomes \d+');
SELECT is((SELECT pg_temp.col(p, 'fecha') -> 'map' ->> 'format' FROM p2), 'DD/MM/YYYY', 'a day above 12 first: DD/MM/YYYY');
SELECT is((SELECT pg_temp.col(p, 'importe') ->> 'sql_type' FROM p2), 'text', 'decimal commas stay text');
SELECT matches((SELECT pg_temp.col(p, 'importe') ->> 'note' FROM p2), '^decimal commas.*point only',
               'and the note says why');
SELECT is((SELECT pg_temp.col(p, 'codigo') -> 'map' ->> 'source' FROM p2), 'Código', 'the source keeps the header as written');
SELECT is((SELECT dba._draft_dry_run(p) FROM p2),
          ARRAY['-- dry run of the whole file (4 lines) through this job: 3 rows read, 3 would load, 0 would be rejected'],
          'the Latin-1 file loads every row in the dry run');

-- A preamble, no header, ambiguous dates.
SELECT is((pg_temp.plan('pre.csv', E'Sales report\nPrinted: 2026-11-02\n\nid,qty\n1,5\n2,7\n')).skip_lines, 3, 'preamble: three lines skipped');
SELECT is((pg_temp.plan('pre.csv', E'Sales report\nPrinted: 2026-11-02\n\nid,qty\n1,5\n2,7\n')).has_header, true, 'preamble: then a header');
CREATE TEMP TABLE p3 AS SELECT pg_temp.plan('nohead.csv', E'1,Ann,2026-01-05\n2,Bob,2026-01-06\n') AS p;
SELECT is((SELECT (p).has_header FROM p3), false, 'no header: the first line is data');
SELECT is((SELECT pg_temp.targets(p) FROM p3), '{column_1,column_2,column_3}', 'no header: names by position');
SELECT is((SELECT dba._draft_dry_run(p) FROM p3),
          ARRAY['-- dry run of the whole file (2 lines) through this job: 2 rows read, 2 would load, 0 would be rejected'],
          'no header: every line is a row');
CREATE TEMP TABLE p4 AS SELECT pg_temp.plan('amb.csv', E'id,day\n1,01/02/2026\n2,03/04/2026\n') AS p;
SELECT is((SELECT pg_temp.col(p, 'day') -> 'map' ->> 'format' FROM p4), 'DD/MM/YYYY', 'ambiguous dates: day first');
SELECT matches((SELECT pg_temp.col(p, 'day') ->> 'note' FROM p4), '^ambiguous: .* MM/DD/YYYY fits too', 'and it says so');
SELECT is((pg_temp.col(pg_temp.plan('amb.csv', E'id,a,b\n1,01/02/2026,12/31/2026\n2,03/04/2026,01/01/2026\n'), 'a') -> 'map' ->> 'format'),
          'MM/DD/YYYY', 'an ambiguous column follows an unambiguous one of the same file');

-- A line break inside a quoted field (an Excel cell) is one value.
CREATE TEMP TABLE p6 AS SELECT pg_temp.plan('cells.csv', E'id,note,qty\n1,"two\nlines",3\n2,"three\nmid,dle\n\nlines",4\n3,one,5\n') AS p;
SELECT is((SELECT array_agg(c ->> 'sql_type' || coalesce('/' || (c -> 'map' ->> 'required'), '') ORDER BY (c ->> 'position')::int)
             FROM p6, jsonb_array_elements((p6.p).columns) c), '{integer/true,text/true,integer/true}',
          'a quoted field over several lines is one value of its record');
SELECT is((SELECT dba._draft_dry_run(p) FROM p6),
          ARRAY['-- dry run of the whole file (8 lines) through this job: 3 rows read, 3 would load, 0 would be rejected'],
          'and the engine loads those records');

-- A hostile header: safe, unique names; the statements run.
CREATE TEMP TABLE p5 AS SELECT pg_temp.plan('hostile.csv',
    E'"Order";user;"a""b";;select;Name;name;"; DROP TABLE x;--";123abc;line_no\n1;2;3;4;5;6;7;8;9;10\n2;2;3;4;5;6;7;8;9;10\n') AS p;
SELECT is((SELECT pg_temp.targets(p) FROM p5),
          '{order_,user_,a_b,column_4,select_,name,name_2,drop_table_x,c_123abc,line_no_}', 'hostile header: safe, unique names');
SELECT is((SELECT pg_temp.col(p, 'column_4') -> 'map' -> 'source' FROM p5), 'null'::jsonb, 'an empty header name takes any name');
SELECT lives_ok($q$DO $do$ DECLARE s text; BEGIN
                    FOR s IN SELECT dba._draft_statements(p) FROM p5 LOOP EXECUTE s; END LOOP; END $do$$q$,
                'hostile header: the drafted statements run');
SELECT is((SELECT target_table FROM dba.timportconfig WHERE job_name = 'hostile'), 'public.hostile', 'and create the job');

-- The dry run shows what would be rejected, and leaves nothing behind.
SELECT is((SELECT dba._draft_dry_run(pg_temp.plan('bad.csv', E'id,born\n1,01/02/2026\n2,31/02/2026\n3,15/02/2026\n'))),
          ARRAY['-- dry run of the whole file (4 lines) through this job: 3 rows read, 2 would load, 1 would be rejected',
                '--   bad.csv line 3 column born: ''31/02/2026'' is not a real date in the format DD/MM/YYYY [format]'],
          'the dry run names the rejected line, column, rule and value');
SELECT is((SELECT count(*) FROM dba.timportconfig WHERE job_name ~ '^draft_'), 0::bigint, 'the dry run leaves no job');
SELECT is((SELECT count(*) FROM pg_tables WHERE schemaname = 'stage' AND tablename ~ '^draft_'), 0::bigint, 'and no table');
SELECT throws_ok($$SELECT pg_temp.plan('x.csv', E'a,b\n1,1\n1,1\n', p_mode => 'upsert')$$, '22023', NULL,
                 'upsert without a candidate key is refused');

SELECT throws_ok($$SELECT pg_temp.plan('empty.csv', '')$$, '22023', NULL, 'an empty file is refused');
SELECT throws_ok($$SELECT dba._draft_plan('x.csv', 10, ARRAY[repeat('a', 20)::bytea])$$, '22023', NULL,
                 'parts larger than the sample ranges are refused');

-- dba.draft_job(path): only files in a job's processing directory.
SELECT pg_temp.job('draft_src', '^never$', '[{"target":"code"}]');
SELECT pg_temp.write_file('new_client_1.csv', E'id;amount\n1;2.5\n2;3\n');
SELECT is((SELECT array_agg(l) FROM dba.draft_job(current_setting('feeds.test_dir') || '/new_client_1.csv', p_mode => 'upsert') l
            WHERE l ~ '^(-- dry run|    CONSTRAINT)'),
          ARRAY['    CONSTRAINT new_client_pkey PRIMARY KEY (id)',
                '-- dry run of the whole file (3 lines) through this job: 2 rows read, 2 would load, 0 would be rejected'],
          'draft_job reads a file in a processing directory and drafts an upsert on its key');
SELECT throws_ok($$SELECT * FROM dba.draft_job('/etc/passwd')$$, '42501', NULL, 'a file outside the processing directories is refused');
SELECT throws_ok($$SELECT * FROM dba.draft_job(current_setting('feeds.test_dir') || '/missing.csv')$$, '58P01', NULL, 'a missing file');

SELECT * FROM finish();
ROLLBACK;
