-- Deploy feeds:function_dba__timportconfig_check to pg
-- Generated from db/functions/dba._timportconfig_check.sql by bin/sync-functions: edit that file, not this one.
BEGIN;

-- dba._timportconfig_check: refuse a job that cannot work, when it is inserted or updated.
CREATE OR REPLACE FUNCTION dba._timportconfig_check()
RETURNS trigger
LANGUAGE plpgsql
SET search_path = pg_catalog, pg_temp
AS $function$
/*
   Runs BEFORE INSERT OR UPDATE on dba.timportconfig. Every refusal is FD010 and names the job
   and what is wrong:
     INSERT INTO dba.timportconfig (job_name, file_pattern, …, target_table, column_map)
     VALUES ('x', '^a(.csv$', …);   -- FD010: file_pattern does not compile
   The steps, in this order (the first problem found is the one named): the pattern and the
   target table (dba._check_job_target), each column map entry in order (dba._check_map_entry,
   its rules dba._check_map_rules), the keys (dba._check_job_keys), the hook, the null markers.
*/
DECLARE
    v_rel     regclass;
    v_entry   jsonb;
    v_ord     integer;
    v_targets text[] := '{}';
BEGIN
    NEW.updated_at := now();
    v_rel := dba._check_job_target(NEW);
    FOR v_entry, v_ord IN SELECT e, n FROM jsonb_array_elements(NEW.column_map) WITH ORDINALITY AS a(e, n) LOOP
        v_targets := v_targets || dba._check_map_entry(NEW.job_name, v_rel, v_entry, v_ord, v_targets);
    END LOOP;
    PERFORM dba._check_job_keys(NEW, v_rel, v_targets);
    IF NEW.post_load_hook IS NOT NULL AND to_regprocedure(NEW.post_load_hook || '(bigint)') IS NULL THEN
        RAISE EXCEPTION 'job %: post-load hook %(bigint) does not exist', NEW.job_name, NEW.post_load_hook
              USING ERRCODE = 'FD010', HINT = 'Name a function schema.name(p_load_id bigint).';
    END IF;
    IF array_position(NEW.null_markers, NULL) IS NOT NULL THEN
        RAISE EXCEPTION 'job %: null_markers may not contain NULL', NEW.job_name USING ERRCODE = 'FD010';
    END IF;
    RETURN NEW;
END
$function$;

ALTER FUNCTION dba._timportconfig_check() OWNER TO feeds_owner;
REVOKE ALL ON FUNCTION dba._timportconfig_check() FROM PUBLIC;
COMMENT ON FUNCTION dba._timportconfig_check() IS
'Internal trigger function: refuses (FD010) a job whose file_pattern or rules do not compile, whose target table is missing, lacks load_id or is not writable by feeds_owner, whose column map names unknown columns or types, whose key columns are not mapped or (upsert) have no unique index, whose post-load hook does not exist or whose null_markers contain NULL. The checks are the steps dba._check_job_target, dba._check_map_entry, dba._check_map_rules and dba._check_job_keys, in that order.';

CREATE TRIGGER timportconfig_check
    BEFORE INSERT OR UPDATE ON dba.timportconfig
    FOR EACH ROW EXECUTE FUNCTION dba._timportconfig_check();

COMMIT;
