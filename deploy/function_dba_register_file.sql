-- Deploy feeds:function_dba_register_file to pg
-- Generated from db/functions/dba.register_file.sql by bin/sync-functions: edit that file, not this one.
BEGIN;

-- dba.register_file: the watcher registers a file it moved into a job's processing directory.
CREATE OR REPLACE FUNCTION dba.register_file(
    p_job       text,
    p_file_name text,
    p_sha256    text,
    p_size      bigint,
    p_run_uuid  uuid DEFAULT NULL,
    p_chunk_sha256 text DEFAULT NULL,
    p_chunk_size   integer DEFAULT NULL
) RETURNS TABLE (load_id bigint, status text, duplicate_of bigint)
LANGUAGE plpgsql
SECURITY DEFINER
SET search_path = pg_catalog, pg_temp
AS $function$
/*
   From a shim (after the file is in processing_dir, as dba.processing_name() says: a workbook
   as <name>.csv), having checked that it is a plain file with one link (the database cannot):
     SELECT * FROM dba.register_file('visitas', 'report_7.txt', '<sha256 hex>', 1234, '<run uuid>',
                                     p_chunk_sha256 => '<chunk digest hex>', p_chunk_size => 4194304);
   The chunk digest (dba.tdataloads.chunk_sha256; the watcher computes it in the same read as
   the sha256) lets dba.run_import() check the file one chunk at a time; without it the file is
   checked against the sha256 in one read, and one over 1 GB cannot load.
   status 'pending': dba.run_import() will load it, and only while its size and content are these.
   status 'duplicate': the job already has this content live (the same sha256, or the same chunk
   digest and chunk size: the digest the server checks, whatever the sha256); archive the file
   as such. A file still pending is never registered over: the same name again with other
   digests is refused (22023). Raises FD001 (unknown job), FD003 (the job does not take that
   name), FD011 (unsafe name), 22023 (malformed sha256 or chunk digest, or other digests for a
   pending file).
*/
DECLARE
    v_cfg  dba.timportconfig;
    v_load dba.tdataloads;
BEGIN
    v_cfg := dba._job_for_file(p_job, p_file_name);
    v_load := dba._register_load(v_cfg, p_file_name,
                                 v_cfg.processing_dir || '/' || dba.processing_name(v_cfg.job_name, p_file_name),
                                 lower(p_sha256), p_size, coalesce(p_run_uuid, dba.start_run('register_file')), 'server',
                                 lower(p_chunk_sha256), p_chunk_size);
    load_id := v_load.load_id; status := v_load.status; duplicate_of := v_load.duplicate_of;
    RETURN NEXT;
END
$function$;

ALTER FUNCTION dba.register_file(text, text, text, bigint, uuid, text, integer) OWNER TO feeds_owner;
REVOKE ALL ON FUNCTION dba.register_file(text, text, text, bigint, uuid, text, integer) FROM PUBLIC;
GRANT EXECUTE ON FUNCTION dba.register_file(text, text, text, bigint, uuid, text, integer) TO feeds_etl;
COMMENT ON FUNCTION dba.register_file(text, text, text, bigint, uuid, text, integer) IS
'Registers a file a shim placed in the job''s processing directory, with its sha256 and size and, from the watcher, its chunk digest (p_chunk_sha256 over p_chunk_size-byte chunks: dba.tdataloads.chunk_sha256), which the engine checks the file against one chunk at a time (without it, in one read, at most 1 GB): returns its load id and status pending, or duplicate (with the earlier load) when the job already has that content live (the same sha256, or the same chunk digest and chunk size, whatever the sha256). Raises FD001, FD003, FD011, 22023 (also for a pending file registered again with other digests: never written over).';

COMMIT;
