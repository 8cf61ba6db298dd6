-- dba._draft_dry_run: the sample through the drafted job, rolled back; what would load and why not.
CREATE OR REPLACE FUNCTION dba._draft_dry_run(p_plan dba.draft_plan)
RETURNS text[]
LANGUAGE plpgsql
VOLATILE
SET search_path = pg_catalog, pg_temp
AS $function$
/*
   Internal; dba.draft_job() and dba.draft_job_from_sample() call it as feeds_owner:
     SELECT dba._draft_dry_run(dba._draft_plan(…));
   Inside a subtransaction that is always rolled back: the draft's own statements create the
   table as stage.draft_<backend pid> and a job row pointing at it, the sample's lines are staged
   as a client load, and the engine's full validation (dba._load_file with p_dry_run) reads them.
   Returns comment lines: the counts and up to 12 rejections (the engine's message names the line,
   column and value, then the rule), or why the dry run could not run (its SQLSTATE and message).
*/
DECLARE
    v_dry   dba.draft_plan := p_plan;
    v_stmt  text;
    v_cfg   dba.timportconfig;
    v_load  dba.tdataloads;
    v_out   text[];
    ex_state text;
    ex_msg  text;
BEGIN
    v_dry.job_name := 'draft_' || pg_backend_pid();
    v_dry.target_table := 'stage.draft_' || pg_backend_pid();
    BEGIN
        FOR v_stmt IN SELECT dba._draft_statements(v_dry) LOOP
            EXECUTE v_stmt;
        END LOOP;
        SELECT * INTO STRICT v_cfg FROM dba.timportconfig WHERE job_name = v_dry.job_name;
        v_load := dba._register_load(p_cfg => v_cfg, p_file_name => p_plan.file_name, p_file_path => NULL,
                                     p_sha256 => encode(sha256(convert_to(array_to_string(p_plan.lines, E'\n'), 'UTF8')), 'hex'),
                                     p_size => p_plan.file_size, p_run_uuid => dba.start_run('draft_job'), p_way_in => 'client');
        EXECUTE format('CREATE UNLOGGED TABLE stage.%I (line_no bigint GENERATED ALWAYS AS IDENTITY, raw text)', 'load_' || v_load.load_id);
        EXECUTE format('INSERT INTO stage.%I (raw) SELECT nullif(l, '''') FROM unnest($1) WITH ORDINALITY AS u(l, n) ORDER BY n',
                       'load_' || v_load.load_id) USING p_plan.lines;
        v_load := dba._load_file(p_load_id => v_load.load_id, p_path => NULL, p_dry_run => true);
        v_out := ARRAY[format('-- dry run of the %s through this job: %s', 
                              CASE WHEN p_plan.sampled THEN format('sample (%s lines; line numbers are the sample''s)', p_plan.sample_lines)
                                   ELSE format('whole file (%s lines)', p_plan.sample_lines) END,
                              CASE WHEN v_load.status = 'failed' THEN format('the file would fail: [%s] %s', v_load.error_sqlstate, v_load.error_message)
                                   ELSE format('%s rows read, %s would load, %s would be rejected', v_load.rows_read,
                                               v_load.rows_read - v_load.rows_rejected, v_load.rows_rejected) END)]
              || coalesce((SELECT array_agg(format('--   %s [%s]', e.message, e.rule) ORDER BY e.line_no, e.error_id)
                             FROM (SELECT * FROM dba.tloaderror WHERE load_id = v_load.load_id ORDER BY line_no, error_id LIMIT 12) e), '{}')
              || CASE WHEN (SELECT count(*) FROM dba.tloaderror WHERE load_id = v_load.load_id) > 12
                      THEN ARRAY[format('--   … %s more (rules: %s)', (SELECT count(*) - 12 FROM dba.tloaderror WHERE load_id = v_load.load_id),
                                  (SELECT string_agg(format('%s %s', rule, n), ', ') FROM (SELECT rule, count(*) AS n FROM dba.tloaderror
                                                                                             WHERE load_id = v_load.load_id GROUP BY rule ORDER BY rule) r))]
                 ELSE '{}' END;
        RAISE EXCEPTION USING ERRCODE = 'FD099', MESSAGE = 'draft dry run: roll back';
    EXCEPTION
        WHEN SQLSTATE 'FD099' THEN
            NULL;
        WHEN OTHERS THEN
            GET STACKED DIAGNOSTICS ex_state = RETURNED_SQLSTATE, ex_msg = MESSAGE_TEXT;
            v_out := ARRAY[format('-- dry run not possible: [%s] %s', ex_state, ex_msg)];
    END;
    RETURN v_out;
END
$function$;

ALTER FUNCTION dba._draft_dry_run(dba.draft_plan) OWNER TO feeds_owner;
REVOKE ALL ON FUNCTION dba._draft_dry_run(dba.draft_plan) FROM PUBLIC;
COMMENT ON FUNCTION dba._draft_dry_run(dba.draft_plan) IS
'Internal: runs a draft''s sample through the drafted job (its statements on a stage.draft_<pid> table, a client load, full validation as a dry run) and rolls everything back; returns SQL comment lines with the counts and the first rejected rows. Never raises: a dry run that cannot run says why.';
