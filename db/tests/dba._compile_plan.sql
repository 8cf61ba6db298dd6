-- The compiled load plan, by value: a job and a file's header become one dba.load_plan (fields,
-- columns with their values, typed values, checks and the insert list), built once per file.
BEGIN;
SELECT plan(18);
\ir fixtures/engine.psql

SELECT pg_temp.job('cp', '^cp_\d+\.csv$', pg_temp.people_map(), 'eng_fx.people', 'upsert', '{id}', '{"null_markers":["","-"]}');
CREATE FUNCTION pg_temp.plan(p_job text, p_header text[], p_file text DEFAULT 'cp_1.csv') RETURNS dba.load_plan
LANGUAGE sql AS $$ SELECT dba._compile_plan(c, p_file, p_header) FROM dba.timportconfig c WHERE c.job_name = p_job $$;
CREATE TEMP TABLE p AS SELECT (pg_temp.plan('cp', '{ID,name,email,score,active,born,seen}')).*;

SELECT is((SELECT (n_fields, count_op, has_line, layout, fast_refusal)::text FROM p), '(7,=,t,{},)',
          'seven fields, exactly; the target takes line_no; no layout error; the fast ways may take it');
SELECT results_eq($$SELECT c.k, c.target, c.field, c.label, c.job_type, c.is_key FROM p, unnest(p.columns) c$$,
                  $$VALUES (1, 'id', 1, 'ID', 'integer', true), (2, 'name', 2, 'name', 'text', false),
                           (3, 'email', 3, 'email', 'text', false), (4, 'score', 4, 'score', 'numeric', false),
                           (5, 'active', 5, 'active', 'boolean', false), (6, 'born', 6, 'born', 'date', false),
                           (7, 'seen_at', 7, 'seen', 'timestamp', false)$$,
                  'one column per map entry: its field, its label from the header, its type, whether it is the key');
CREATE FUNCTION pg_temp.eval(p_tpl text, p_value text) RETURNS text LANGUAGE plpgsql AS $$
DECLARE v text; BEGIN EXECUTE format('SELECT %s', format(p_tpl, quote_nullable(p_value))) INTO v; RETURN v; END $$;
SELECT is((SELECT array_agg(pg_temp.eval((columns[2]).value_tpl, x) ORDER BY n) FROM p, unnest(ARRAY[' Ann ', 'Ann', 'A b ', ' - ', '-', '', '  ', NULL]) WITH ORDINALITY x(x, n)),
          ARRAY['Ann', 'Ann', 'A b', NULL, NULL, NULL, NULL, NULL],
          'a value is trimmed (spaces only), then the null markers make it NULL');
SELECT is((SELECT (columns[1]).fast_value_tpl FROM p), 'CASE WHEN %1$s = ANY (''{"",-}''::text[]) THEN NULL ELSE %1$s END',
          'the fast ways trim only text');
SELECT is((SELECT (columns[1]).typed_sql FROM p),
          'CASE WHEN s.v1 ~ ''^[+-]?[0-9]{1,10}$'' THEN CASE WHEN s.v1::numeric BETWEEN -2147483648 AND 2147483647 THEN s.v1::integer END END',
          'the typed value never raises');
SELECT is((SELECT ((columns[1]).fast_typed_sql, (columns[1]).fast_check)::text FROM p),
          '(s.v1::integer,"(s.v1 IS NULL OR (s.t1::text = s.v1))")', 'the fast ways cast plainly and check the value prints back');
SELECT results_eq($$SELECT ch.rule, ch.message, ch.cond, ch.fast FROM p, unnest((p.columns[1]).checks) ch$$,
                  $$VALUES ('required', 'a value is required', 's.v1 IS NULL', true),
                           ('type', 'not a valid integer', 's.v1 IS NOT NULL AND s.t1 IS NULL', false)$$,
                  'the checks of a column, by value (the fast ways skip the type check of a plain cast)');
SELECT is((SELECT array_agg(ch.rule) FROM p, unnest((p.columns[2]).checks) ch), '{regex,max_length}'::text[],
          'the rules in the order they are reported');
SELECT ok((SELECT (columns[6]).fast_iso_sql LIKE '%::bigint%' AND (columns[6]).fast_typed_sql LIKE '%make_date(%' AND (columns[6]).fast_check IS NULL FROM p),
          'a date in a fixed format: the fast ways read its digits as one number (s.i6) and the date from it');
SELECT is((SELECT array_agg(pg_temp.eval(replace((columns[5]).typed_sql, 's.v5', '%1$s'), x) ORDER BY n) FROM p,
                  unnest(ARRAY['yes', 'YES', 'Sí', 'off', 'Off', 'maybe', NULL]) WITH ORDINALITY x(x, n)),
          ARRAY['true', 'true', 'true', 'false', 'false', NULL, NULL], 'a boolean in any case, NULL when it is none');

-- Layout: the header decides, by the job's policy.
SELECT is((pg_temp.plan('cp', '{id,name,mail,score,active,born,seen}')).layout,
          ARRAY['cp_1.csv line 1 column 3: header ''mail'', expected ''email'''], 'strict: another name at a place is a layout error');
SELECT is((pg_temp.plan('cp', '{id,name}')).layout, ARRAY['cp_1.csv line 1: the header has 2 columns, the job expects 7'],
          'strict: another number of columns is one');
UPDATE dba.timportconfig SET header_policy = 'ignore_extra' WHERE job_name = 'cp';
SELECT is((SELECT array_agg((c).field) FROM unnest((pg_temp.plan('cp', '{x,seen,born,active,score,email,name,id}')).columns) c),
          '{8,7,6,5,4,3,2}'::int[], 'ignore_extra: each mapped column found by name anywhere');
SELECT is((pg_temp.plan('cp', '{x,seen,born,active,score,email,id}')).layout,
          ARRAY['cp_1.csv line 1: column ''name'' is missing from the header'], 'ignore_extra: a missing name is a layout error');

-- Without a header, from the file name, and a format only full validation checks.
SELECT pg_temp.job('cq', '^cq_(\d+)\.csv$', '[{"target":"code","from_file_name":"^cq_(\\d+)\\.csv$"},{"target":"qty","type":"integer","position":3},
                                             {"target":"note","type":"date","format":"DD/MM/YYYY HH24:MI"}]',
                   'eng_fx.events', 'append', '{}', '{"has_header":false}');
SELECT is((SELECT (n_fields, (columns[1]).field, (columns[1]).value_tpl, (columns[2]).field, (columns[3]).field)::text
             FROM (SELECT (pg_temp.plan('cq', NULL, 'cq_42.csv')).*) x),
          '(3,,''42''::text,3,2)', 'no header: as many fields as the map needs; a value from the file name is a literal');
SELECT is((pg_temp.plan('cq', NULL, 'cq_42.csv')).fast_refusal, 'column note: the format DD/MM/YYYY HH24:MI is checked only by full validation',
          'a date with a time format: the plan says why the fast ways cannot take the file');
SELECT is(dba._map_vocabulary('rule'), '{regex,email,allowed,min,max,max_length}'::text[], 'the rules, listed once');
CREATE TABLE eng_fx.fit (amount numeric(6,2), load_id bigint);
GRANT SELECT, INSERT, UPDATE, DELETE ON eng_fx.fit TO feeds_owner;
SELECT pg_temp.job('cf', '^cf_\d+\.csv$', '[{"source":"amount","target":"amount","type":"numeric"}]', 'eng_fx.fit');
SELECT results_eq($$SELECT ch.rule, ch.fast FROM unnest(((pg_temp.plan('cf', '{amount}')).columns[1]).checks) ch$$,
                  $$VALUES ('type', false), ('fit', false), ('rounding', true)$$,
                  'numeric(6,2): the fast ways check rounding; a cast or a value too large raises on them instead');

SELECT * FROM finish();
ROLLBACK;
