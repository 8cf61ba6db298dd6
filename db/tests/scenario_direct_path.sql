-- The direct path (dba._process_load with a file, through file_fdw) and the one pass over the
-- staged lines load exactly what full validation loads. Every file below goes through both: job
-- dp_a with the setting feeds.direct_path off (full validation), job dp_b (the same job, its own
-- copy of the target) with it on. The outcome, the target table, every rejected row and the
-- messages must be the same; the test also checks which way each file went, so it cannot pass
-- by never taking the fast ones.
BEGIN;
SELECT plan(307);
\ir fixtures/engine.psql

CREATE TABLE eng_fx.people_b (LIKE eng_fx.people INCLUDING ALL);
CREATE TABLE eng_fx.events_b (LIKE eng_fx.events INCLUDING ALL);
GRANT SELECT, INSERT, UPDATE, DELETE ON eng_fx.people_b, eng_fx.events_b TO feeds_owner;

CREATE FUNCTION pg_temp.jobs(p_prefix text, p_map jsonb, p_target text, p_mode text, p_keys text[], p_extra jsonb)
RETURNS void LANGUAGE sql AS $$
    SELECT pg_temp.job(p_prefix || '_a', format('^%s_a_\d+\.csv$', p_prefix), p_map, p_target, p_mode, p_keys, p_extra);
    SELECT pg_temp.job(p_prefix || '_b', format('^%s_b_\d+\.csv$', p_prefix), p_map, p_target || '_b', p_mode, p_keys, p_extra);
$$;

-- Loads p_content as <prefix>_a_<n>.csv with full validation and as <prefix>_b_<n>.csv the
-- fastest way it qualifies for, compares, and checks that way was p_way ('direct path', 'one
-- pass' or 'full validation'). Four tests per file.
CREATE FUNCTION pg_temp.both(p_prefix text, p_n integer, p_what text, p_content text, p_way text,
                             p_target text, p_encoding text DEFAULT 'UTF8')
RETURNS SETOF text LANGUAGE plpgsql AS $$
DECLARE
    v_a  dba.tdataloads;
    v_b  dba.tdataloads;
    v_ta jsonb;
    v_tb jsonb;
BEGIN
    PERFORM pg_temp.deliver(format('%s_a_%s.csv', p_prefix, p_n), p_content, p_encoding);
    PERFORM pg_temp.deliver(format('%s_b_%s.csv', p_prefix, p_n), p_content, p_encoding);
    PERFORM set_config('feeds.direct_path', 'off', true);
    PERFORM dba.run_import(p_job => p_prefix || '_a');
    PERFORM set_config('feeds.direct_path', 'on', true);
    PERFORM dba.run_import(p_job => p_prefix || '_b');
    SELECT * INTO v_a FROM dba.tdataloads WHERE file_name = format('%s_a_%s.csv', p_prefix, p_n);
    SELECT * INTO v_b FROM dba.tdataloads WHERE file_name = format('%s_b_%s.csv', p_prefix, p_n);
    RETURN NEXT is((v_b.status, v_b.rows_read, v_b.rows_inserted, v_b.rows_updated, v_b.rows_rejected, v_b.error_sqlstate,
                    replace(v_b.error_message, v_b.file_name, 'F'))::text,
                   (v_a.status, v_a.rows_read, v_a.rows_inserted, v_a.rows_updated, v_a.rows_rejected, v_a.error_sqlstate,
                    replace(v_a.error_message, v_a.file_name, 'F'))::text,
                   p_what || ': the same outcome and counts');
    EXECUTE format('SELECT jsonb_agg(to_jsonb(t) - ''load_id'' ORDER BY to_jsonb(t) - ''load_id'') FROM %s t', p_target) INTO v_ta;
    EXECUTE format('SELECT jsonb_agg(to_jsonb(t) - ''load_id'' ORDER BY to_jsonb(t) - ''load_id'') FROM %s_b t', p_target) INTO v_tb;
    RETURN NEXT is(v_tb, v_ta, p_what || ': the same rows in the target');
    RETURN NEXT is((SELECT jsonb_agg(jsonb_build_array(line_no, column_name, raw_value, rule, replace(message, v_b.file_name, 'F'), raw_line)
                                     ORDER BY line_no, rule, column_name) FROM dba.tloaderror WHERE load_id = v_b.load_id),
                   (SELECT jsonb_agg(jsonb_build_array(line_no, column_name, raw_value, rule, replace(message, v_a.file_name, 'F'), raw_line)
                                     ORDER BY line_no, rule, column_name) FROM dba.tloaderror WHERE load_id = v_a.load_id),
                   p_what || ': the same rejected rows, rules and messages');
    RETURN NEXT is(v_b.load_path, replace(p_way, ' ', '_'), p_what || ': ' || p_way);
END $$;

-- Upsert into people: every type, every rule, null markers.
SELECT pg_temp.jobs('dp', pg_temp.people_map(), 'eng_fx.people', 'upsert', '{id}', '{"null_markers":["","-","NULL"]}');

SELECT pg_temp.both('dp', 1, 'a clean file', concat_ws(E'\n', 'id,name,email,score,active,born,seen',
  '1,Ann,ann@example.com,10.5,true,08/02/1990,08/02/2013 18:30',
  '2,Bob,bob@example.org,0,no,-,NULL',
  '3,Cy,,100,,29/02/2000,31/12/1999 23:59', ''), 'direct path', 'eng_fx.people');
SELECT pg_temp.both('dp', 2, 'updates of the same keys, CRLF, header in capitals, no final newline', concat_ws(E'\r\n',
  'ID,Name,EMAIL,Score,Active,Born,Seen',
  '1,Anne,ann@example.com,11,yes,08/02/1990,08/02/2013 18:31',
  '4,Dee,dee@example.com,0.25,0,01/01/1970,01/01/1970 00:00'), 'direct path', 'eng_fx.people');
-- One doubtful line after a clean one, a file each. A line that breaks a rule, or whose value
-- does not print back, is set aside and rejected on the fast way; a value that does not cast, or
-- a line that full validation finds valid after all (trimmed, 007), sends the file to full
-- validation.
SELECT pg_temp.both('dp', 100 + n::int, what, concat_ws(E'\n', 'id,name,email,score,active,born,seen',
                    '50,Base,base@example.com,1,f,01/01/1990,01/01/2013 00:00', line, ''), way, 'eng_fx.people')
  FROM (SELECT v.*, row_number() OVER () AS n FROM (VALUES
    ('values with spaces around them (trimmed)', ' 5 ,  Eve ,eve@example.com, 7 , true ,01/01/1990 , 01/01/2013 00:00', 'full validation'),
    ('a name against the regex', '6,quinn,q@example.com,1,f,01/01/1990,01/01/2013 00:00', 'direct path'),
    ('a name over max_length', '7,Waytoolongname,w@example.com,1,f,01/01/1990,01/01/2013 00:00', 'direct path'),
    ('an invalid e-mail', '8,Pia,not-an-email,1,f,01/01/1990,01/01/2013 00:00', 'direct path'),
    ('a score under the minimum', '9,Pia,p@example.com,-1,f,01/01/1990,01/01/2013 00:00', 'direct path'),
    ('a score over the maximum', '10,Pia,p@example.com,101,f,01/01/1990,01/01/2013 00:00', 'direct path'),
    ('a required value missing', ',Pia,p@example.com,1,f,01/01/1990,01/01/2013 00:00', 'direct path'),
    ('a null marker for a required value', '-,Pia,p@example.com,1,f,01/01/1990,01/01/2013 00:00', 'direct path'),
    ('not a boolean', '11,Pia,p@example.com,1,maybe,01/01/1990,01/01/2013 00:00', 'direct path'),
    ('31 February', '12,Kim,k@example.com,1,f,31/02/2020,01/01/2013 00:00', 'direct path'),
    ('an ISO date for DD/MM/YYYY', '13,Lee,l@example.com,1,f,2020-01-01,01/01/2013 00:00', 'direct path'),
    ('year 0', '14,Max,m@example.com,1,f,01/01/0000,01/01/2013 00:00', 'direct path'),
    ('a date without its zeros', '15,Ned,n@example.com,1,f,1/1/2020,01/01/2013 00:00', 'direct path'),
    ('month 13', '16,Oz,o@example.com,1,f,01/13/2020,01/01/2013 00:00', 'direct path'),
    ('hour 24', '17,Oz,o@example.com,1,f,01/01/2020,01/01/2013 24:00', 'direct path'),
    ('minute 60', '18,Oz,o@example.com,1,f,01/01/2020,01/01/2013 23:60', 'direct path'),
    ('29 February of a leap year, and not', '27,Oz,o@example.com,1,f,29/02/2020,29/02/2013 00:00', 'direct path'),
    ('a space in a time''s digits', '28,Oz,o@example.com,1,f,01/01/2020,01/01/2013 0 :00', 'direct path'),
    ('a space in a date''s digits', '30,Oz,o@example.com,1,f,01/01/ 020,01/01/2013 00:00', 'full validation'),
    ('a letter in a date''s digits', '29,Oz,o@example.com,1,f,0a/01/2020,01/01/2013 00:00', 'full validation'),
    ('booleans in capitals, text with spaces around it', '31,  Ann ,ann@example.com ,1,YES,01/01/1990,01/01/2013 00:00', 'direct path'),
    ('seconds the format does not have', '19,Oz,o@example.com,1,f,01/01/2020,01/01/2013 00:00:00', 'direct path'),
    ('a key twice in the file (last wins)', '50,Again,a@example.com,2,t,01/01/1990,01/01/2013 00:00', 'full validation'),
    ('a quoted field', '23,"Wu, W",w@example.com,1,f,01/01/1990,01/01/2013 00:00', 'direct path'),
    ('a field missing', '20,Tom,t@example.com,1,f,01/01/1990', 'one pass'),
    ('a field too many', '21,Uma,u@example.com,1,f,01/01/1990,01/01/2013 00:00,extra', 'one pass'),
    ('a blank line', E'\n22,Vic,v@example.com,1,f,01/01/1990,01/01/2013 00:00', 'one pass'),
    ('a stray carriage return', E'26,Zoe\r,z@example.com,1,f,01/01/1990,01/01/2013 00:00', 'one pass')
  ) v(what, line, way)) x;
SELECT pg_temp.both('dp', 30, 'a byte-order mark', E'\uFEFF' || concat_ws(E'\n', 'id,name,email,score,active,born,seen',
  '24,Xi,x@example.com,1,f,01/01/1990,01/01/2013 00:00', ''), 'one pass', 'eng_fx.people');
SELECT pg_temp.both('dp', 31, 'a header that does not match', concat_ws(E'\n', 'id,name,mail,score,active,born,seen',
  '25,Yu,y@example.com,1,f,01/01/1990,01/01/2013 00:00', ''), 'full validation', 'eng_fx.people');
SELECT pg_temp.both('dp', 32, 'only a header', E'id,name,email,score,active,born,seen\n', 'direct path', 'eng_fx.people');
-- Quotes in the file: the direct path when every quoted line is strict CSV, else the one pass.
SELECT pg_temp.both('dp', 33, 'a quoted field, then a bad value', concat_ws(E'\n', 'id,name,email,score,active,born,seen',
  '27,"Wu, W",w@example.com,1,f,01/01/1990,01/01/2013 00:00', '28,Xu,x@example.com,1,maybe,01/01/1990,01/01/2013 00:00', ''),
  'direct path', 'eng_fx.people');
SELECT pg_temp.both('dp', 34, 'text after a closing quote', concat_ws(E'\n', 'id,name,email,score,active,born,seen',
  '29,"Wu"W,w@example.com,1,f,01/01/1990,01/01/2013 00:00', ''), 'one pass', 'eng_fx.people');
SELECT ok(EXISTS (SELECT 1 FROM dba.tloaderror e JOIN dba.tdataloads d USING (load_id)
                   WHERE d.file_name = 'dp_a_34.csv' AND e.rule = 'csv_syntax' AND e.line_no = 2),
          'text after a closing quote is a csv_syntax error at its line');
SELECT is((SELECT path_note FROM dba.tdataloads WHERE file_name = 'dp_b_34.csv'),
          'direct path: a quoted line is not strict CSV, or a quoted field spans lines',
          'a file that is not strict CSV stays off the direct path (path_note says why); the one pass sets the line aside');
SELECT pg_temp.both('dp', 35, 'a doubled quote inside quotes', concat_ws(E'\n', 'id,name,email,score,active,born,seen',
  '30,"Wu ""W""",w@example.com,1,f,01/01/1990,01/01/2013 00:00', ''), 'direct path', 'eng_fx.people');

-- Rule failures on many rows (the bench's dirty file): the fast way loads the good rows, sets the
-- others aside and records their rejects (line, column, value, raw line) as full validation does.
SELECT pg_temp.both('dp', 36, 'bad e-mails and a quoted field on several rows', concat_ws(E'\n', 'id,name,email,score,active,born,seen',
  '40,Al,al@example.com,1,t,01/01/1990,01/01/2013 00:00', '41,"Bo, B",bo.example.com,2,f,02/01/1990,02/01/2013 00:00',
  '42,Cy,cy@example.com,3,t,03/01/1990,03/01/2013 00:00', '43,Di,di@,4,f,04/01/1990,04/01/2013 00:00',
  '44,quinn,not-an-email,5,t,05/01/1990,05/01/2013 00:00', '45,Ed,ed@example.com,6,f,06/01/1990,06/01/2013 00:00', ''),
  'direct path', 'eng_fx.people');
SELECT is((SELECT array_agg(format('%s %s %s', e.line_no, e.column_name, e.rule) ORDER BY e.line_no, e.rule)
             FROM dba.tloaderror e JOIN dba.tdataloads d USING (load_id) WHERE d.file_name = 'dp_b_36.csv'),
          ARRAY['3 email email', '5 email email', '6 email email', '6 name regex'],
          'the direct path records each broken rule of the rows it set aside, at its line and column');
SELECT pg_temp.both('dp', 37, 'bad e-mails in a staged file (one pass)', E'\uFEFF' || concat_ws(E'\n', 'id,name,email,score,active,born,seen',
  '46,Fa,fa@example.com,1,t,01/01/1990,01/01/2013 00:00', '47,Gu,gu.example.com,2,f,02/01/1990,02/01/2013 00:00',
  '48,"Ha ""H""",ha@example.com,3,t,03/01/1990,03/01/2013 00:00', '49,Io,io@x,4,f,04/01/1990,04/01/2013 00:00', ''),
  'one pass', 'eng_fx.people');
-- Over the job's reject limit, the fast way rolls back and full validation fails the file (FD030).
SELECT pg_temp.jobs('dl', pg_temp.people_map(), 'eng_fx.people', 'upsert', '{id}', '{"null_markers":[""],"max_rejects":1}');
SELECT pg_temp.both('dl', 1, 'more rejects than max_rejects', concat_ws(E'\n', 'id,name,email,score,active,born,seen',
  '60,Ja,ja.example.com,1,t,01/01/1990,01/01/2013 00:00', '61,Ka,ka@example.com,2,f,02/01/1990,02/01/2013 00:00',
  '62,La,la.example.com,3,t,03/01/1990,03/01/2013 00:00', ''), 'full validation', 'eng_fx.people');
SELECT is((SELECT path_note FROM dba.tdataloads WHERE file_name = 'dl_b_1.csv'),
          'direct path: over the job''s reject limit: full validation records it [FD098]; one pass: not tried, a row already left the direct path',
          'over the reject limit the direct path is left, and path_note says why');

-- Append with line numbers: no header, by position, no rules, ISO dates, LATIN1, semicolons.
ALTER TABLE eng_fx.events ADD COLUMN amount numeric, ADD COLUMN day date, ADD COLUMN at timestamp;
ALTER TABLE eng_fx.events_b ADD COLUMN amount numeric, ADD COLUMN day date, ADD COLUMN at timestamp;
SELECT pg_temp.jobs('dq', '[{"target":"code"},{"target":"qty","type":"integer"},{"target":"note"},{"target":"amount","type":"numeric"},
                            {"target":"day","type":"date"},{"target":"at","type":"timestamp"}]',
                    'eng_fx.events', 'append', '{}', '{"has_header":false,"delimiter":";","encoding":"LATIN1","null_markers":[""]}');
SELECT pg_temp.both('dq', 1, 'no header, LATIN1, ISO dates', concat_ws(E'\n',
  'A;1;café;-0.5;2020-02-29;2020-02-29 23:59:59', 'B;-2;  spaced  ;5.50;2021-01-01;1999-12-31 00:00:00', 'C;3;niño;;;', ''),
  'direct path', 'eng_fx.events', 'LATIN1');
SELECT pg_temp.both('dq', 1 + n::int, what, concat_ws(E'\n', 'Z;1;base;1;2020-01-01;2020-01-01 00:00:00', line, ''), way,
                    'eng_fx.events', 'LATIN1')
  FROM (SELECT v.*, row_number() OVER () AS n FROM (VALUES
    ('a leading zero', 'D;007;x;1;2020-01-01;2020-01-01 10:00:00', 'full validation'),
    ('a plus sign', 'D;+8;x;1;2020-01-01;2020-01-01 10:00:00', 'full validation'),
    ('an integer out of range', 'D;3000000000;x;1;2020-01-01;2020-01-01 10:00:00', 'full validation'),
    ('not an integer', 'D;x;x;1;2020-01-01;2020-01-01 10:00:00', 'full validation'),
    ('an integer with a space', 'D; 5;x;1;2020-01-01;2020-01-01 10:00:00', 'full validation'),
    ('a number without its zero', 'D;1;x;.5;2020-01-01;2020-01-01 10:00:00', 'full validation'),
    ('an exponent', 'D;1;x;1e1;2020-01-01;2020-01-01 10:00:00', 'full validation'),
    ('NaN', 'D;1;x;NaN;2020-01-01;2020-01-01 10:00:00', 'direct path'),
    ('Infinity', 'D;1;x;Infinity;2020-01-01;2020-01-01 10:00:00', 'direct path'),
    ('minus Infinity', 'D;1;x;-Infinity;2020-01-01;2020-01-01 10:00:00', 'direct path'),
    ('30 February in ISO', 'D;1;x;1;2020-02-30;2020-01-01 10:00:00', 'full validation'),
    ('an ISO date without dashes', 'D;1;x;1;20200101;2020-01-01 10:00:00', 'direct path'),
    ('an ISO date without zeros', 'D;1;x;1;2020-1-1;2020-01-01 10:00:00', 'direct path'),
    ('a T between date and time', 'D;1;x;1;2020-01-01;2020-01-01T10:00', 'full validation'),
    ('a time without seconds', 'D;1;x;1;2020-01-01;2020-01-01 10:00', 'full validation'),
    ('a date for a timestamp', 'D;1;x;1;2020-01-01;2020-01-01', 'full validation'),
    ('a fraction of a second (as PostgreSQL prints it)', 'D;1;x;1;2020-01-01;2020-01-01 10:00:00.5', 'direct path'),
    ('hour 24 in ISO', 'D;1;x;1;2020-01-01;2020-01-01 24:00:00', 'direct path'),
    ('second 60', 'D;1;x;1;2020-01-01;2020-01-01 23:59:60', 'direct path'),
    ('a word PostgreSQL takes as a date', 'D;1;x;1;today;2020-01-01 10:00:00', 'direct path')
  ) v(what, line, way)) x;
SELECT pg_temp.both('dq', 30, 'a quoted field over two lines (line numbers)', concat_ws(E'\n',
  'M;1;"two', 'lines";1;2020-01-01;2020-01-01 00:00:00', 'N;2;x;1;2020-01-01;2020-01-01 00:00:00', ''),
  'one pass', 'eng_fx.events', 'LATIN1');
SELECT is((SELECT line_no FROM eng_fx.events_b WHERE code = 'N'), 3::bigint, 'the line after a two-line record is line 3');
SELECT pg_temp.both('dq', 31, 'quotes, delimiters, commas, parentheses and backslashes inside fields', concat_ws(E'\n',
  'Q;1;"a (b), c; \d ""e""";1;2020-01-01;2020-01-01 00:00:00', 'R;2;x(y)\z, ) (;1;2020-01-01;2020-01-01 00:00:00',
  'S;3;"";1;2020-01-01;2020-01-01 00:00:00', 'T;4;;1;2020-01-01;2020-01-01 00:00:00', 'U;5; "" ;1;2020-01-01;2020-01-01 00:00:00', ''),
  'one pass', 'eng_fx.events', 'LATIN1');
SELECT pg_temp.both('dq', 32, 'the same without the space before a quote', concat_ws(E'\n',
  'Q;1;"a (b), c; \d ""e""";1;2020-01-01;2020-01-01 00:00:00', 'R;2;x(y)\z, ) (;1;2020-01-01;2020-01-01 00:00:00',
  'S;3;"";1;2020-01-01;2020-01-01 00:00:00', 'T;4;;1;2020-01-01;2020-01-01 00:00:00', 'V;6;"(";1;2020-01-01;2020-01-01 00:00:00', ''),
  'direct path', 'eng_fx.events', 'LATIN1');
SELECT is((SELECT array_agg(note ORDER BY code) FROM eng_fx.events_b WHERE load_id = (SELECT load_id FROM dba.tdataloads WHERE file_name = 'dq_b_32.csv')),
          ARRAY['a (b), c; \d "e"', 'x(y)\z, ) (', NULL, NULL, '('], 'the direct path reads quoted fields as written (an empty one is the null marker)');
SELECT is((SELECT array_agg(note ORDER BY code) FROM eng_fx.events WHERE load_id = (SELECT load_id FROM dba.tdataloads WHERE file_name = 'dq_a_32.csv')),
          ARRAY['a (b), c; \d "e"', 'x(y)\z, ) (', NULL, NULL, '('], 'full validation reads them the same (an empty one is the null marker)');
SELECT pg_temp.jobs('ds', '[{"source":"code","target":"code"},{"source":"qty","target":"qty","type":"integer"},{"source":"note","target":"note"}]',
                    'eng_fx.events', 'append', '{}', '{"skip_lines":2,"null_markers":[""]}');
SELECT pg_temp.both('ds', 1, 'lines to skip', E'Stock report\nprinted today\ncode,qty,note\nS,1,x\nT,2,\n', 'one pass', 'eng_fx.events');

-- Values checked against the declared column: numeric(p,s), varchar(n), smallint.
CREATE TABLE eng_fx.fits (code varchar(4), amount numeric(6,2), qty smallint, load_id bigint, line_no bigint);
CREATE TABLE eng_fx.fits_b (LIKE eng_fx.fits);
GRANT SELECT, INSERT, UPDATE, DELETE ON eng_fx.fits, eng_fx.fits_b TO feeds_owner;
SELECT pg_temp.jobs('dv', '[{"source":"code","target":"code"},{"source":"amount","target":"amount","type":"numeric"},
                            {"source":"qty","target":"qty","type":"integer"}]', 'eng_fx.fits', 'append', '{}', '{}');
SELECT pg_temp.both('dv', 1, 'values at the limits of their columns', E'code,amount,qty\nABCD,9999.99,32767\nE,-9999.99,-32768\n',
                    'direct path', 'eng_fx.fits');
SELECT pg_temp.both('dv', 2, 'values that do not fit their columns', E'code,amount,qty\nA,1,1\nB,10000,1\nC,1.005,1\nABCDE,1,1\nD,1,32768\n',
                    'full validation', 'eng_fx.fits');

-- Replace, and undo, after the direct path: the same as after the staged one.
CREATE TABLE eng_fx.codes (code text, qty integer, load_id bigint);
CREATE TABLE eng_fx.codes_b (LIKE eng_fx.codes);
GRANT SELECT, INSERT, UPDATE, DELETE ON eng_fx.codes, eng_fx.codes_b TO feeds_owner;
SELECT pg_temp.jobs('dr', '[{"source":"code","target":"code"},{"source":"qty","target":"qty","type":"integer"}]',
                    'eng_fx.codes', 'replace', '{}', '{}');
SELECT pg_temp.both('dr', 1, 'replace, first file', E'code,qty\nA,1\nB,2\n', 'direct path', 'eng_fx.codes');
SELECT pg_temp.both('dr', 2, 'replace, second file', E'code,qty\nC,3\n', 'direct path', 'eng_fx.codes');
SELECT is((SELECT status FROM dba.undo_load((SELECT load_id FROM dba.tdataloads WHERE file_name = 'dr_b_2.csv'))), 'undone',
          'a replace loaded on the direct path can be undone');
SELECT results_eq('SELECT code, qty FROM eng_fx.codes_b ORDER BY code', $$VALUES ('A', 1), ('B', 2)$$,
                  'undo brings back the rows the direct replace removed');
SELECT is((SELECT status FROM dba.undo_load((SELECT load_id FROM dba.tdataloads WHERE file_name = 'dp_b_2.csv'))), 'undone',
          'an upsert loaded on the direct path can be undone');
SELECT results_eq('SELECT id, name, score FROM eng_fx.people_b WHERE id IN (1, 4) ORDER BY id', $$VALUES (1, 'Ann', 10.5)$$,
                  'undo restores the row the direct upsert overwrote and removes the one it inserted');

-- No null markers: an empty field is an empty string, quoted or not.
UPDATE dba.timportconfig SET null_markers = '{}' WHERE job_name IN ('dr_a', 'dr_b');
SELECT pg_temp.both('dr', 3, 'empty fields, quoted and not, without null markers', E'code,qty\n"",1\n,2\n"x",3\n', 'direct path', 'eng_fx.codes');
SELECT results_eq('SELECT code, qty FROM eng_fx.codes_b ORDER BY qty', $$VALUES ('', 1), ('', 2), ('x', 3)$$,
                  'both empty fields load as empty strings');

-- quoted_empty empty_string: a quoted "" is the empty string, an unquoted empty field follows the
-- null markers (COPY's reading), the same on each way.
UPDATE dba.timportconfig SET null_markers = '{""}', quoted_empty = 'empty_string' WHERE job_name IN ('dr_a', 'dr_b');
SELECT pg_temp.both('dr', 4, 'quoted_empty empty_string (direct path)', E'code,qty\n"",1\n,2\n"y",3\n', 'direct path', 'eng_fx.codes');
SELECT results_eq('SELECT code, qty FROM eng_fx.codes_b ORDER BY qty', $$VALUES ('', 1), (NULL, 2), ('y', 3)$$,
                  'direct path: a quoted "" loads as the empty string, an unquoted empty field as NULL (the null marker)');
SELECT pg_temp.both('dr', 5, 'quoted_empty empty_string (one pass)', E'\uFEFFcode,qty\n"",4\n,5\n', 'one pass', 'eng_fx.codes');
SELECT results_eq('SELECT code, qty FROM eng_fx.codes_b ORDER BY qty', $$VALUES ('', 4), (NULL, 5)$$, 'one pass: the same');
SELECT pg_temp.both('dr', 6, 'quoted_empty empty_string (full validation)', E'code,qty\n"",6\n,7\n"",x\n', 'full validation', 'eng_fx.codes');
SELECT results_eq('SELECT code, qty FROM eng_fx.codes_b ORDER BY qty', $$VALUES ('', 6), (NULL, 7)$$, 'full validation: the same');

-- What the direct path leaves alone.
SELECT ok(NOT EXISTS (SELECT 1 FROM pg_class WHERE relnamespace = 'stage'::regnamespace AND relname LIKE 'load\_%\_f'),
          'no foreign table is left behind');
SELECT is((SELECT string_agg(d.file_name, ', ') FROM dba.tdataloads d
            WHERE d.job_name LIKE '%\_b' AND d.load_path <> 'direct_path'
              AND coalesce(d.path_note, '') !~ CASE d.load_path WHEN 'one_pass' THEN '^direct path: [^;]+$'
                                                                ELSE '^direct path: .+; one pass: .+$' END),
          NULL, 'each file that left a fast way says why, way by way, in path_note');
SELECT is((SELECT string_agg(d.file_name, ', ') FROM dba.tdataloads d
            WHERE d.job_name LIKE '%\_a' AND d.load_path IS DISTINCT FROM 'full_validation'),
          NULL, 'with feeds.direct_path off every file goes through full validation');
SELECT is((SELECT string_agg(DISTINCT d.path_note, ', ') FROM dba.tdataloads d
            WHERE d.file_name = 'dp_b_31.csv'),
          'direct path: a layout error; one pass: a layout error', 'a layout error is named as the reason');

SELECT * FROM finish();
ROLLBACK;
