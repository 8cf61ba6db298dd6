-- dba._check_job_target: a job's file pattern compiles and its target table can take loads.
CREATE OR REPLACE FUNCTION dba._check_job_target(p_cfg dba.timportconfig)
RETURNS regclass
LANGUAGE plpgsql
SET search_path = pg_catalog, pg_temp
AS $function$
/*
   Internal; the first step of the job check (dba._timportconfig_check), which passes NEW:
     SELECT dba._check_job_target(c) FROM dba.timportconfig c WHERE job_name = 'orders';
       -- sales.orders, or FD010 naming the job and what is wrong
   The table is named with its schema, exists, has a load_id bigint column and feeds_owner has
   each of SELECT, INSERT, UPDATE and DELETE on it: loads insert (and upsert reads and updates),
   undo deletes and restores, replace_per_run empties the table. The refusal names what is missing.
*/
DECLARE
    v_rel   regclass;
    v_lacks text;
    v_error text := dba._regex_error(p_cfg.file_pattern);
BEGIN
    IF v_error IS NOT NULL THEN
        RAISE EXCEPTION 'job %: file_pattern % does not compile: %', p_cfg.job_name, quote_literal(p_cfg.file_pattern), v_error
              USING ERRCODE = 'FD010', HINT = 'Use an anchored POSIX regular expression such as ^report_\d+\.txt$.';
    END IF;

    v_rel := to_regclass(p_cfg.target_table);
    IF v_rel IS NULL OR p_cfg.target_table !~ '^[^.]+\.[^.]+$' THEN
        RAISE EXCEPTION 'job %: target table % does not exist', p_cfg.job_name, quote_literal(p_cfg.target_table)
              USING ERRCODE = 'FD010', HINT = 'Create the table first and name it with its schema (schema.table).';
    END IF;
    IF NOT EXISTS (SELECT 1 FROM pg_attribute WHERE attrelid = v_rel AND attname = 'load_id'
                      AND atttypid = 'bigint'::regtype AND NOT attisdropped) THEN
        RAISE EXCEPTION 'job %: target table % has no load_id bigint column', p_cfg.job_name, v_rel
              USING ERRCODE = 'FD010',
                    HINT = format('ALTER TABLE %s ADD COLUMN load_id bigint;  -- every loaded row names its load', v_rel);
    END IF;
    -- has_table_privilege() with a list is true when ANY of them is granted: ask one by one.
    SELECT string_agg(p.priv, ', ' ORDER BY p.n) INTO v_lacks
      FROM unnest(ARRAY['SELECT', 'INSERT', 'UPDATE', 'DELETE']) WITH ORDINALITY AS p(priv, n)
     WHERE NOT has_table_privilege('feeds_owner', v_rel, p.priv);
    IF v_lacks IS NOT NULL THEN
        RAISE EXCEPTION 'job %: the engine (feeds_owner) may not write to % (it lacks %)', p_cfg.job_name, v_rel, v_lacks
              USING ERRCODE = 'FD010', HINT = format('GRANT %s ON %s TO feeds_owner;', v_lacks, v_rel);
    END IF;
    RETURN v_rel;
END
$function$;

ALTER FUNCTION dba._check_job_target(dba.timportconfig) OWNER TO feeds_owner;
REVOKE ALL ON FUNCTION dba._check_job_target(dba.timportconfig) FROM PUBLIC;
COMMENT ON FUNCTION dba._check_job_target(dba.timportconfig) IS
'Internal step of the job check: returns the job''s target table after checking that its file_pattern compiles and that the table is named with its schema, exists, has a load_id bigint column and grants feeds_owner each of SELECT, INSERT, UPDATE and DELETE (the refusal names those missing). Raises FD010 naming the job and what is wrong (42601 for a name with too many dots).';
