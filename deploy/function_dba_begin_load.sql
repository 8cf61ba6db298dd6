-- Deploy feeds:function_dba_begin_load to pg
-- Generated from db/functions/dba.begin_load.sql by bin/sync-functions: edit that file, not this one.
BEGIN;

-- dba.begin_load: second way in, for a database that cannot see the files.
CREATE OR REPLACE FUNCTION dba.begin_load(
    p_job       text,
    p_file_name text,
    p_sha256    text,
    p_size      bigint,
    p_run_uuid  uuid DEFAULT NULL
) RETURNS TABLE (load_id bigint, staging_table text, copy_sql text, status text)
LANGUAGE plpgsql
SECURITY DEFINER
SET search_path = pg_catalog, pg_temp
AS $function$
/*
   From a client (psycopg):
     SELECT * FROM dba.begin_load('visitas', 'report_7.txt', '<sha256>', 1234);
     -- then run copy_sql as COPY … FROM STDIN, streaming the file's bytes unchanged
     SELECT * FROM dba.finish_load(<load_id>);
   status 'duplicate': the job already has this content; staging_table and copy_sql are NULL.
   Raises FD001 (unknown job), FD003 (the job does not take that name), FD011, 22023.
*/
DECLARE
    v_cfg  dba.timportconfig;
    v_load dba.tdataloads;
    v_tab  text;
BEGIN
    v_cfg := dba._job_for_file(p_job, p_file_name);
    v_load := dba._register_load(v_cfg, p_file_name, NULL, lower(p_sha256), p_size, coalesce(p_run_uuid, dba.start_run('begin_load')), 'client');
    load_id := v_load.load_id; status := v_load.status;
    IF v_load.status = 'pending' THEN
        v_tab := 'load_' || v_load.load_id;
        EXECUTE format('CREATE UNLOGGED TABLE IF NOT EXISTS stage.%I (line_no bigint GENERATED ALWAYS AS IDENTITY, raw text)', v_tab);
        EXECUTE format('GRANT INSERT ON stage.%I TO feeds_etl', v_tab);
        staging_table := format('stage.%I', v_tab);
        copy_sql := format('COPY stage.%I (raw) FROM STDIN WITH (FORMAT csv, DELIMITER E''\x1f'', QUOTE E''\x1e'', ENCODING %L)',
                           v_tab, v_cfg.encoding);
    END IF;
    RETURN NEXT;
END
$function$;

ALTER FUNCTION dba.begin_load(text, text, text, bigint, uuid) OWNER TO feeds_owner;
REVOKE ALL ON FUNCTION dba.begin_load(text, text, text, bigint, uuid) FROM PUBLIC;
GRANT EXECUTE ON FUNCTION dba.begin_load(text, text, text, bigint, uuid) TO feeds_etl;
COMMENT ON FUNCTION dba.begin_load(text, text, text, bigint, uuid) IS
'Second way in: registers a file the client will stream, creates its staging table (INSERT granted to feeds_etl) and returns the COPY … FROM STDIN statement to use; status duplicate when the job already has that content. Raises FD001, FD003, FD011, 22023.';

COMMIT;
