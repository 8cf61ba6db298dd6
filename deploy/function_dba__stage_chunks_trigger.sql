-- Deploy feeds:function_dba__stage_chunks_trigger to pg
-- Generated from db/functions/dba._stage_chunks_trigger.sql by bin/sync-functions: edit that file, not this one.
BEGIN;

-- dba._stage_chunks_trigger: at the end of a client's COPY, its chunks become lines.
CREATE OR REPLACE FUNCTION dba._stage_chunks_trigger()
RETURNS trigger
LANGUAGE plpgsql
SECURITY DEFINER
SET search_path = pg_catalog, pg_temp
AS $function$
/*
   Internal; the AFTER INSERT … FOR EACH STATEMENT trigger that dba.begin_load() puts on a
   client load's chunk table pg_temp.load_<id>_c:
     COPY pg_temp.load_42_c (chunk) FROM STDIN WITH (FORMAT binary);   -- fires it once
   Splits the chunks into stage.load_<id> (dba._stage_chunks) inside the client's COPY, so the
   lines are committed with it and dba.finish_load() reads them as committed rows (a one pass
   over lines staged in its own transaction is much slower). When they cannot be split (bytes
   not in the job's encoding), no line is staged and the chunks stay: dba.finish_load() splits
   them again, after the job's re-send policy, and records why the load failed, naming the
   line. Lines and chunks are the same stream: any statement into the chunk table stages all of
   it again. Raises nothing.
*/
BEGIN
    BEGIN
        PERFORM dba._stage_chunks(substring(TG_TABLE_NAME FROM '^load_(\d+)_c$')::bigint);
    EXCEPTION WHEN OTHERS THEN
        -- No lines for bytes: dba.finish_load() (dba._stage_file) splits again and records why.
        -- (A staging table already gone, the load failed meanwhile, has no lines to clear.)
        IF to_regclass(format('stage.%I', regexp_replace(TG_TABLE_NAME, '_c$', ''))) IS NOT NULL THEN
            EXECUTE format('TRUNCATE stage.%I', regexp_replace(TG_TABLE_NAME, '_c$', ''));
        END IF;
    END;
    RETURN NULL;
END
$function$;

ALTER FUNCTION dba._stage_chunks_trigger() OWNER TO feeds_owner;
REVOKE ALL ON FUNCTION dba._stage_chunks_trigger() FROM PUBLIC;
COMMENT ON FUNCTION dba._stage_chunks_trigger() IS
'Internal: statement trigger on a client load''s chunk table (dba.begin_load): splits the streamed chunks into stage.load_<id> within the COPY (dba._stage_chunks); when they cannot be split, leaves them for dba.finish_load(), which records why. Raises nothing.';

COMMIT;
