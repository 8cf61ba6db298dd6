-- dba._drop_old_stages: the staging tables of finished loads of earlier runs go.
CREATE OR REPLACE FUNCTION dba._drop_old_stages(p_run_uuid uuid)
RETURNS void
LANGUAGE plpgsql
SET search_path = pg_catalog, pg_temp
AS $function$
/*
   Internal; the first step of dba.run_import(). A failed load keeps its staging table
   (stage.load_<id>) for a look until the next run; this drops those of every load that is no
   longer pending and belongs to another run than p_run_uuid.
     SELECT dba._drop_old_stages(dba.start_run('psql'));
   Raises nothing of its own.
*/
DECLARE
    v_drop record;
BEGIN
    FOR v_drop IN
        SELECT c.relname FROM pg_class c JOIN dba.tdataloads d ON c.relname = 'load_' || d.load_id
         WHERE c.relnamespace = 'stage'::regnamespace AND d.status <> 'pending'
           AND d.run_uuid IS DISTINCT FROM p_run_uuid
    LOOP
        EXECUTE format('DROP TABLE IF EXISTS stage.%I', v_drop.relname);
    END LOOP;
END
$function$;

ALTER FUNCTION dba._drop_old_stages(uuid) OWNER TO feeds_owner;
REVOKE ALL ON FUNCTION dba._drop_old_stages(uuid) FROM PUBLIC;
COMMENT ON FUNCTION dba._drop_old_stages(uuid) IS
'Internal: drops the staging tables (stage.load_<id>) of loads no longer pending that belong to another run than the given one; dba.run_import''s first step. Raises nothing of its own.';
