-- dba._timportconfig_check: every configuration it refuses, with the exact SQLSTATE, message, DETAIL
-- and HINT (core errors: the SQLSTATE only, their text is localised). Recorded from the one-function
-- check before it was split into steps, so the steps refuse exactly what it refused, in its order.
BEGIN;
SELECT plan(40);
\ir fixtures/engine.psql

-- Targets for the refusals (eng_fx.events from the fixture is the sound one).
CREATE TABLE eng_fx.no_load_id (code text);
CREATE TABLE eng_fx.int_load_id (code text, load_id integer);
CREATE TABLE eng_fx.partial (code text, qty integer, load_id bigint);
CREATE UNIQUE INDEX partial_code_key ON eng_fx.partial (code) WHERE code <> '';
CREATE UNIQUE INDEX partial_code_qty_key ON eng_fx.partial (code, qty);
GRANT SELECT, INSERT, UPDATE, DELETE ON eng_fx.no_load_id, eng_fx.int_load_id, eng_fx.partial TO feeds_owner;
CREATE TABLE eng_fx.not_writable (code text, load_id bigint);
CREATE TABLE eng_fx.read_only (code text, load_id bigint);
GRANT SELECT ON eng_fx.read_only TO feeds_owner;
CREATE TEMP TABLE t_unqualified (code text, load_id bigint);
CREATE FUNCTION eng_fx.text_hook(p_load_id text) RETURNS void LANGUAGE sql AS $$ SELECT $$;
SELECT pg_temp.job('ok_job', '^ok\.csv$', '[{"source":"code","target":"code"}]');

-- pg_temp.refusal(sql): 'accepted', or the SQLSTATE, message, DETAIL and HINT of the error, one a line.
CREATE FUNCTION pg_temp.refusal(p_sql text) RETURNS text LANGUAGE plpgsql AS $$
DECLARE
    ex_state  text;
    ex_msg    text;
    ex_detail text;
    ex_hint   text;
BEGIN
    EXECUTE p_sql;
    RETURN 'accepted';
EXCEPTION WHEN OTHERS THEN
    GET STACKED DIAGNOSTICS ex_state = RETURNED_SQLSTATE, ex_msg = MESSAGE_TEXT,
                            ex_detail = PG_EXCEPTION_DETAIL, ex_hint = PG_EXCEPTION_HINT;
    RETURN concat_ws(E'\n', ex_state, ex_msg, 'DETAIL: ' || nullif(ex_detail, ''), 'HINT: ' || nullif(ex_hint, ''));
END $$;

SELECT is(pg_temp.refusal($sql$UPDATE dba.timportconfig SET file_pattern = '^a(\.csv$' WHERE job_name = 'ok_job'$sql$),
          $want$FD010
job ok_job: file_pattern E'^a(\\.csv$' does not compile: invalid regular expression: parentheses () not balanced
HINT: Use an anchored POSIX regular expression such as ^report_\d+\.txt$.$want$,
          'refused: a file_pattern that does not compile');
SELECT is(pg_temp.refusal($sql$UPDATE dba.timportconfig SET file_pattern = '^a(\.csv$', target_table = 'eng_fx.nope' WHERE job_name = 'ok_job'$sql$),
          $want$FD010
job ok_job: file_pattern E'^a(\\.csv$' does not compile: invalid regular expression: parentheses () not balanced
HINT: Use an anchored POSIX regular expression such as ^report_\d+\.txt$.$want$,
          'refused: a bad file_pattern is named before a missing table');
SELECT is(pg_temp.refusal($sql$UPDATE dba.timportconfig SET target_table = 'eng_fx.nope' WHERE job_name = 'ok_job'$sql$),
          $want$FD010
job ok_job: target table 'eng_fx.nope' does not exist
HINT: Create the table first and name it with its schema (schema.table).$want$,
          'refused: a target table that does not exist');
SELECT is(pg_temp.refusal($sql$UPDATE dba.timportconfig SET target_table = 't_unqualified' WHERE job_name = 'ok_job'$sql$),
          $want$FD010
job ok_job: target table 't_unqualified' does not exist
HINT: Create the table first and name it with its schema (schema.table).$want$,
          'refused: a target table named without its schema');
SELECT is(split_part(pg_temp.refusal($sql$UPDATE dba.timportconfig SET target_table = 'a.b.c.d' WHERE job_name = 'ok_job'$sql$), E'\n', 1),
          $want$42601$want$,
          'refused: a target name with too many dots (core error)');
SELECT is(pg_temp.refusal($sql$UPDATE dba.timportconfig SET target_table = 'eng_fx.no_load_id' WHERE job_name = 'ok_job'$sql$),
          $want$FD010
job ok_job: target table eng_fx.no_load_id has no load_id bigint column
HINT: ALTER TABLE eng_fx.no_load_id ADD COLUMN load_id bigint;  -- every loaded row names its load$want$,
          'refused: a target table without load_id');
SELECT is(pg_temp.refusal($sql$UPDATE dba.timportconfig SET target_table = 'eng_fx.int_load_id' WHERE job_name = 'ok_job'$sql$),
          $want$FD010
job ok_job: target table eng_fx.int_load_id has no load_id bigint column
HINT: ALTER TABLE eng_fx.int_load_id ADD COLUMN load_id bigint;  -- every loaded row names its load$want$,
          'refused: a target table whose load_id is not bigint');
SELECT is(pg_temp.refusal($sql$UPDATE dba.timportconfig SET target_table = 'eng_fx.not_writable' WHERE job_name = 'ok_job'$sql$),
          $want$FD010
job ok_job: the engine (feeds_owner) may not write to eng_fx.not_writable (it lacks SELECT, INSERT, UPDATE, DELETE)
HINT: GRANT SELECT, INSERT, UPDATE, DELETE ON eng_fx.not_writable TO feeds_owner;$want$,
          'refused: a target table feeds_owner may not write');
SELECT is(pg_temp.refusal($sql$UPDATE dba.timportconfig SET target_table = 'eng_fx.read_only' WHERE job_name = 'ok_job'$sql$),
          $want$FD010
job ok_job: the engine (feeds_owner) may not write to eng_fx.read_only (it lacks INSERT, UPDATE, DELETE)
HINT: GRANT INSERT, UPDATE, DELETE ON eng_fx.read_only TO feeds_owner;$want$,
          'refused: a target table feeds_owner may only read (has_table_privilege with a list is true for any one)');
SELECT is(pg_temp.refusal($sql$UPDATE dba.timportconfig SET column_map = '[{"source":"code","target":"code"}, 7]' WHERE job_name = 'ok_job'$sql$),
          $want$FD010
job ok_job: column_map entry 2 needs a "target" column name
DETAIL: 7$want$,
          'refused: a column_map entry that is not an object');
SELECT is(pg_temp.refusal($sql$UPDATE dba.timportconfig SET column_map = '[{"source":"code"}]' WHERE job_name = 'ok_job'$sql$),
          $want$FD010
job ok_job: column_map entry 1 needs a "target" column name
DETAIL: {"source": "code"}$want$,
          'refused: a column_map entry without a target');
SELECT is(pg_temp.refusal($sql$UPDATE dba.timportconfig SET column_map = '[{"source":"code","target":3}]' WHERE job_name = 'ok_job'$sql$),
          $want$FD010
job ok_job: column_map entry 1 needs a "target" column name
DETAIL: {"source": "code", "target": 3}$want$,
          'refused: a column_map entry whose target is not a string');
SELECT is(pg_temp.refusal($sql$UPDATE dba.timportconfig SET column_map = '[{"source":"code","target":"nope"}]' WHERE job_name = 'ok_job'$sql$),
          $want$FD010
job ok_job: column_map entry 1 targets column nope which eng_fx.events has not$want$,
          'refused: an entry that targets a column the table has not');
SELECT is(pg_temp.refusal($sql$UPDATE dba.timportconfig SET column_map = '[{"source":"code","target":"load_id"}]' WHERE job_name = 'ok_job'$sql$),
          $want$FD010
job ok_job: column_map entry 1 targets column load_id which eng_fx.events has not$want$,
          'refused: an entry that targets load_id');
SELECT is(pg_temp.refusal($sql$UPDATE dba.timportconfig SET column_map = '[{"source":"code","target":"ctid"}]' WHERE job_name = 'ok_job'$sql$),
          $want$FD010
job ok_job: column_map entry 1 targets column ctid which eng_fx.events has not$want$,
          'refused: an entry that targets a system column');
SELECT is(pg_temp.refusal($sql$UPDATE dba.timportconfig SET column_map = '[{"source":"code","target":"nope","type":"money"}]' WHERE job_name = 'ok_job'$sql$),
          $want$FD010
job ok_job: column_map entry 1 targets column nope which eng_fx.events has not$want$,
          'refused: an unknown column is named before an unknown type');
SELECT is(pg_temp.refusal($sql$UPDATE dba.timportconfig SET column_map = '[{"source":"code","target":"code"},{"source":"c2","target":"code"}]' WHERE job_name = 'ok_job'$sql$),
          $want$FD010
job ok_job: column code is mapped twice$want$,
          'refused: a column mapped twice');
SELECT is(pg_temp.refusal($sql$UPDATE dba.timportconfig SET column_map = '[{"source":"code","target":"code","type":"money"}]' WHERE job_name = 'ok_job'$sql$),
          $want$FD010
job ok_job: column code has unknown type 'money'
HINT: Types: text, integer, bigint, numeric, boolean, date, timestamp.$want$,
          'refused: an unknown type');
SELECT is(pg_temp.refusal($sql$UPDATE dba.timportconfig SET column_map = '[{"source":"code","target":"qty","type":5}]' WHERE job_name = 'ok_job'$sql$),
          $want$FD010
job ok_job: column qty has unknown type '5'
HINT: Types: text, integer, bigint, numeric, boolean, date, timestamp.$want$,
          'refused: a type that is not a string');
SELECT is(pg_temp.refusal($sql$UPDATE dba.timportconfig SET column_map = '[{"source":"code","target":"qty","type":"numeric","round":"yes"}]' WHERE job_name = 'ok_job'$sql$),
          $want$FD010
job ok_job: "round" of column qty must be true or false
HINT: "round": true lets a value with more decimals than the column keeps be rounded.$want$,
          'refused: a round option that is not a boolean');
SELECT is(pg_temp.refusal($sql$UPDATE dba.timportconfig SET column_map = '[{"source":"code","target":"qty","type":"date","format":"HH24:MI"}]' WHERE job_name = 'ok_job'$sql$),
          $want$FD010
job ok_job: column qty: date format 'HH24:MI' needs YYYY, MM and DD
HINT: A pattern of YYYY, MM, DD (and HH24, MI, SS) with literal characters, such as DD/MM/YYYY HH24:MI, or ISO (docs/configuration.md, "The column map").$want$,
          'refused: a date format without a date');
SELECT is(pg_temp.refusal($sql$UPDATE dba.timportconfig SET column_map = '[{"source":"code","target":"qty","type":"timestamp","format":"MM/DD HH24:MI"}]' WHERE job_name = 'ok_job'$sql$),
          $want$FD010
job ok_job: column qty: date format 'MM/DD HH24:MI' needs YYYY, MM and DD
HINT: A pattern of YYYY, MM, DD (and HH24, MI, SS) with literal characters, such as DD/MM/YYYY HH24:MI, or ISO (docs/configuration.md, "The column map").$want$,
          'refused: a timestamp format without a date');
SELECT is(pg_temp.refusal($sql$UPDATE dba.timportconfig SET column_map = '[{"source":"code","target":"code"},{"target":"note","from_file_name":"_(\\d+"}]' WHERE job_name = 'ok_job'$sql$),
          $want$FD010
job ok_job: from_file_name of column note does not compile$want$,
          'refused: a from_file_name regex that does not compile');
SELECT is(pg_temp.refusal($sql$UPDATE dba.timportconfig SET column_map = '[{"position":"1","target":"code"}]' WHERE job_name = 'ok_job'$sql$),
          $want$FD010
job ok_job: position of column code must be a number from 1$want$,
          'refused: a position that is not a number');
SELECT is(pg_temp.refusal($sql$UPDATE dba.timportconfig SET column_map = '[{"position":0,"target":"code"}]' WHERE job_name = 'ok_job'$sql$),
          $want$FD010
job ok_job: position of column code must be a number from 1$want$,
          'refused: a position below 1');
SELECT is(pg_temp.refusal($sql$UPDATE dba.timportconfig SET column_map = '[{"source":"code","target":"code","rules":{"max_length":3,"shout":1}}]' WHERE job_name = 'ok_job'$sql$),
          $want$FD010
job ok_job: column code has unknown rule 'shout'
HINT: Rules: regex, email, allowed, min, max, max_length.$want$,
          'refused: an unknown rule');
SELECT is(split_part(pg_temp.refusal($sql$UPDATE dba.timportconfig SET column_map = '[{"source":"code","target":"code","rules":"email"}]' WHERE job_name = 'ok_job'$sql$), E'\n', 1),
          $want$22023$want$,
          'refused: rules that are not an object (core error)');
SELECT is(pg_temp.refusal($sql$UPDATE dba.timportconfig SET column_map = '[{"source":"code","target":"code","rules":{"regex":"[a-"}}]' WHERE job_name = 'ok_job'$sql$),
          $want$FD010
job ok_job: the regex rule of column code does not compile$want$,
          'refused: a regex rule that does not compile');
SELECT is(pg_temp.refusal($sql$UPDATE dba.timportconfig SET column_map = '[{"source":"code","target":"code","rules":{"allowed":"a,b"}}]' WHERE job_name = 'ok_job'$sql$),
          $want$FD010
job ok_job: the allowed rule of column code must be a JSON array$want$,
          'refused: an allowed rule that is not an array');
SELECT is(pg_temp.refusal($sql$UPDATE dba.timportconfig SET key_columns = '{code,qty}' WHERE job_name = 'ok_job'$sql$),
          $want$FD010
job ok_job: key column qty is not in the column map$want$,
          'refused: a key column that is not mapped');
SELECT is(pg_temp.refusal($sql$UPDATE dba.timportconfig SET load_mode = 'upsert', key_columns = '{code}' WHERE job_name = 'ok_job'$sql$),
          $want$FD010
job ok_job: upsert needs a unique index on eng_fx.events (code)
HINT: CREATE UNIQUE INDEX ON eng_fx.events (code);$want$,
          'refused: upsert without a unique index on the keys');
SELECT is(pg_temp.refusal($sql$UPDATE dba.timportconfig SET target_table = 'eng_fx.partial', load_mode = 'upsert', key_columns = '{code}' WHERE job_name = 'ok_job'$sql$),
          $want$FD010
job ok_job: upsert needs a unique index on eng_fx.partial (code)
HINT: CREATE UNIQUE INDEX ON eng_fx.partial (code);$want$,
          'refused: upsert with only a partial unique index on the keys');
SELECT is(pg_temp.refusal($sql$UPDATE dba.timportconfig SET target_table = 'eng_fx.partial', load_mode = 'upsert', column_map = '[{"source":"code","target":"code"},{"source":"qty","target":"qty"}]', key_columns = '{qty}' WHERE job_name = 'ok_job'$sql$),
          $want$FD010
job ok_job: upsert needs a unique index on eng_fx.partial (qty)
HINT: CREATE UNIQUE INDEX ON eng_fx.partial (qty);$want$,
          'refused: upsert with a unique index on other columns');
SELECT is(pg_temp.refusal($sql$UPDATE dba.timportconfig SET post_load_hook = 'eng_fx.nope' WHERE job_name = 'ok_job'$sql$),
          $want$FD010
job ok_job: post-load hook eng_fx.nope(bigint) does not exist
HINT: Name a function schema.name(p_load_id bigint).$want$,
          'refused: a post-load hook that does not exist');
SELECT is(pg_temp.refusal($sql$UPDATE dba.timportconfig SET post_load_hook = 'eng_fx.text_hook' WHERE job_name = 'ok_job'$sql$),
          $want$FD010
job ok_job: post-load hook eng_fx.text_hook(bigint) does not exist
HINT: Name a function schema.name(p_load_id bigint).$want$,
          'refused: a post-load hook without a bigint argument');
SELECT is(pg_temp.refusal($sql$UPDATE dba.timportconfig SET null_markers = ARRAY['', NULL] WHERE job_name = 'ok_job'$sql$),
          $want$FD010
job ok_job: null_markers may not contain NULL$want$,
          'refused: null_markers with a NULL');
SELECT is(pg_temp.refusal($sql$INSERT INTO dba.timportconfig (job_name, file_pattern, inbox_dir, processing_dir, archive_dir, failed_dir, target_table, column_map) VALUES ('new_job', '^n\.csv$', '/tmp/in', '/tmp/p', '/tmp/a', '/tmp/f', 'eng_fx.events', '[{"source":"code","target":"code","type":"money"}]')$sql$),
          $want$FD010
job new_job: column code has unknown type 'money'
HINT: Types: text, integer, bigint, numeric, boolean, date, timestamp.$want$,
          'refused: on INSERT as on UPDATE, an unknown type');

-- What it accepts, and the time stamp it keeps.
SELECT is(pg_temp.refusal($sql$SELECT pg_temp.job('rich_job', '^rich_(\d{8})\.csv$',
              (pg_temp.people_map() - 2) || '[{"target":"line_no","position":3,"type":"bigint","round":false},
                                        {"target":"email","from_file_name":"^rich_(\\d{8})"}]'::jsonb,
              'eng_fx.people', 'upsert', '{id}',
              '{"post_load_hook":"eng_fx.count_hook","null_markers":["","NULL"]}')$sql$),
          'accepted', 'a job with every type, rule, option, a key with its unique index and a hook is accepted');
SELECT is(pg_temp.refusal($sql$UPDATE dba.timportconfig SET updated_at = '2000-01-01', column_map = column_map || '[{"target":"note","rules":{"allowed":["a","b"]}}]' WHERE job_name = 'ok_job'$sql$),
          'accepted', 'a sound change is accepted');
SELECT is((SELECT updated_at FROM dba.timportconfig WHERE job_name = 'ok_job'), now(),
          'an accepted change is stamped with the time of the change');

SELECT * FROM finish();
ROLLBACK;
