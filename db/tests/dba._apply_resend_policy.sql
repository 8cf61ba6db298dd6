-- The re-send policy of a job (dba.timportconfig.resend_policy, dba._apply_resend_policy): a new
-- file under the name of one already loaded is new data, supersedes the earlier load, or is refused.
BEGIN;
SELECT plan(17);
\ir fixtures/engine.psql

-- The undo hook takes back what the post-load hook (eng_fx.count_hook) recorded.
CREATE FUNCTION eng_fx.uncount_hook(p_load_id bigint) RETURNS void LANGUAGE sql AS $$
    DELETE FROM eng_fx.hook_calls WHERE load_id = p_load_id;
$$;
GRANT EXECUTE ON FUNCTION eng_fx.uncount_hook(bigint) TO feeds_owner;
SELECT pg_temp.job(j, format('^%s_\d+\.csv$', j), '[{"source":"code","target":"code"}]', 'eng_fx.events', m,
                   '{}', '{"post_load_hook":"eng_fx.count_hook"}')
  FROM (VALUES ('rs_new', 'append'), ('rs_sup', 'append'), ('rs_ref', 'append'), ('rs_rpr', 'replace_per_run')) v(j, m);
UPDATE dba.timportconfig SET resend_policy = CASE job_name WHEN 'rs_new' THEN 'new' WHEN 'rs_ref' THEN 'refuse' ELSE 'supersede' END,
                             undo_hook = 'eng_fx.uncount_hook'
 WHERE job_name LIKE 'rs\_%';
SELECT is((SELECT resend_policy FROM dba.timportconfig WHERE job_name = 'rs_new'), 'new', 'the policy is a column of the job');
SELECT throws_ok($$UPDATE dba.timportconfig SET resend_policy = 'maybe' WHERE job_name = 'rs_new'$$, '23514', NULL,
                 'only new, supersede and refuse');

CREATE FUNCTION pg_temp.send(p_name text, p_content text, p_run uuid DEFAULT NULL) RETURNS dba.tdataloads
LANGUAGE plpgsql AS $$
DECLARE v bigint;
BEGIN
    PERFORM pg_temp.deliver(p_name, p_content);
    SELECT load_id INTO v FROM dba.run_import(p_file => p_name, p_run_uuid => p_run);
    RETURN (SELECT d FROM dba.tdataloads d WHERE load_id = v);
END $$;
CREATE FUNCTION pg_temp.codes(p_like text) RETURNS text LANGUAGE sql AS $$
    SELECT string_agg(code, ',' ORDER BY code) FROM eng_fx.events WHERE code LIKE p_like $$;

-- new: the corrected file is loaded next to the first one (the old behaviour).
CREATE TEMP TABLE n1 AS SELECT * FROM pg_temp.send('rs_new_1.csv', E'code\nn-a\nn-b\n');
CREATE TEMP TABLE n2 AS SELECT * FROM pg_temp.send('rs_new_1.csv', E'code\nn-a\nn-c\n');
SELECT is(pg_temp.codes('n-%'), 'n-a,n-a,n-b,n-c', 'new: both versions are loaded');

-- supersede: the earlier load of that name is undone, hook included, then the new one loads.
CREATE TEMP TABLE s1 AS SELECT * FROM pg_temp.send('rs_sup_1.csv', E'code\ns-a\ns-b\n');
CREATE TEMP TABLE s2 AS SELECT * FROM pg_temp.send('rs_sup_1.csv', E'code\ns-a\ns-x\ns-c\n');
SELECT is((SELECT status FROM s2), 'loaded', 'supersede: the re-sent file loads');
SELECT is(pg_temp.codes('s-%'), 's-a,s-c,s-x', 'supersede: only the rows of the corrected file are in the table');
SELECT is((SELECT status FROM dba.tdataloads WHERE load_id = (SELECT load_id FROM s1)), 'undone', 'the earlier load is undone');
SELECT matches((SELECT error_message FROM dba.tdataloads WHERE load_id = (SELECT load_id FROM s1)),
               format('^superseded by load %s: undone', (SELECT load_id FROM s2)), 'and says by which load');
SELECT results_eq($$SELECT load_id, rows_seen FROM eng_fx.hook_calls WHERE load_id IN (SELECT load_id FROM s1 UNION SELECT load_id FROM s2)$$,
                  $$SELECT load_id, 3::bigint FROM s2$$, 'the undo hook took back what the post-load hook did for it');
SELECT ok(EXISTS (SELECT 1 FROM dba.tlogentry WHERE load_id = (SELECT load_id FROM s2) AND message LIKE '%re-sent; supersedes load%'),
          'the supersede is logged on the new load');

-- refuse: the re-send fails with FD045, the first load stays.
CREATE TEMP TABLE f1 AS SELECT * FROM pg_temp.send('rs_ref_1.csv', E'code\nf-a\n');
CREATE TEMP TABLE f2 AS SELECT * FROM pg_temp.send('rs_ref_1.csv', E'code\nf-z\n');
SELECT results_eq($$SELECT status, error_sqlstate FROM f2$$, $$VALUES ('failed', 'FD045')$$, 'refuse: the re-send fails with FD045');
SELECT matches((SELECT error_message FROM f2), format('^rs_ref_1\.csv: a file of this name was loaded before \(load %s\)',
               (SELECT load_id FROM f1)), 'naming the earlier load');
SELECT is(pg_temp.codes('f-%'), 'f-a', 'refuse: the earlier rows stay');

-- replace_per_run, the re-send in a later run after another file emptied the table: the
-- earlier load's rows are already gone, so it is retired (hook undone, its kept rows forgotten).
CREATE TEMP TABLE p1 AS SELECT * FROM pg_temp.send('rs_rpr_1.csv', E'code\np-1\n', dba.start_run('pgtap'));
CREATE TEMP TABLE run2 AS SELECT dba.start_run('pgtap') AS run_uuid;
CREATE TEMP TABLE p3 AS SELECT * FROM pg_temp.send('rs_rpr_3.csv', E'code\np-3\n', (SELECT run_uuid FROM run2));
CREATE TEMP TABLE p1b AS SELECT * FROM pg_temp.send('rs_rpr_1.csv', E'code\np-1 fixed\n', (SELECT run_uuid FROM run2));
SELECT is((SELECT status FROM p1b), 'loaded', 'replace_per_run: the re-send in the next run loads');
SELECT matches((SELECT error_message FROM dba.tdataloads WHERE load_id = (SELECT load_id FROM p1)),
               '^superseded by load \d+: 0 rows removed, 1 rows already replaced', 'the earlier load is retired');
SELECT is((SELECT count(*) FROM eng_fx.hook_calls WHERE load_id = (SELECT load_id FROM p1)), 0::bigint,
          'its hook work is taken back');
SELECT lives_ok(format('SELECT dba.undo_load(%s)', (SELECT load_id FROM p3)), 'the load that emptied the table can be undone');
SELECT is(pg_temp.codes('p-%'), 'p-1 fixed', 'and the superseded rows do not come back with it');

SELECT * FROM finish();
ROLLBACK;
