-- dba.draft_job: draft a job from a file waiting in a job's processing directory (psql).
CREATE OR REPLACE FUNCTION dba.draft_job(
    p_path     text,
    p_job      text DEFAULT NULL,
    p_table    text DEFAULT NULL,
    p_mode     text DEFAULT 'append',
    p_base_dir text DEFAULT NULL
) RETURNS SETOF text
LANGUAGE plpgsql
SECURITY DEFINER
SET search_path = pg_catalog, pg_temp
AS $function$
/*
   From psql, for a file the server can read in an existing job's processing directory:
     SELECT * FROM dba.draft_job('/srv/feeds/orders/processing/orders_20261102.csv');
     SELECT * FROM dba.draft_job('/srv/feeds/orders/processing/new_client.csv', p_mode => 'upsert',
                                 p_table => 'sales.new_client', p_base_dir => '/srv/feeds/new_client');
   A converted workbook (<name>.xlsx.csv) is drafted under its original name. Reads the ranges of
   dba.draft_sample_ranges() and nothing else; a file anywhere else is refused (the engine reads
   only the directories a job names): `feeds job draft FILE` sends a sample from the client.
   Raises 42501 (not in a processing directory), FD011 (unsafe file name), 58P01 (no such file),
   22023 (not a regular file; as dba.draft_job_from_sample).
*/
DECLARE
    v_dir   text := substring(p_path FROM '^(.*)/[^/]*$');
    v_name  text := substring(p_path FROM '[^/]*$');
    v_stat  record;
    v_parts bytea[];
BEGIN
    IF p_path IS NULL OR p_path !~ '^/' OR p_path ~ '(^|/)\.\.(/|$)' OR p_path ~ '[[:cntrl:]]' THEN
        RAISE EXCEPTION 'draft_job: % is not an absolute path', quote_literal(p_path) USING ERRCODE = '22023';
    END IF;
    PERFORM dba._check_file_name(v_name);
    IF NOT EXISTS (SELECT 1 FROM dba.timportconfig c WHERE rtrim(c.processing_dir, '/') = v_dir) THEN
        RAISE EXCEPTION 'draft_job: % is not in the processing directory of a job', p_path
              USING ERRCODE = '42501',
                    HINT = 'The server reads only the directories a job names. Use feeds job draft FILE, which sends a sample from the client.';
    END IF;
    SELECT * INTO v_stat FROM pg_stat_file(p_path, true);
    IF v_stat IS NULL OR v_stat.size IS NULL THEN
        RAISE EXCEPTION 'draft_job: % does not exist', p_path USING ERRCODE = '58P01';
    ELSIF v_stat.isdir THEN
        RAISE EXCEPTION 'draft_job: % is a directory', p_path USING ERRCODE = '22023';
    END IF;
    SELECT array_agg(pg_read_binary_file(p_path, r.byte_offset, r.byte_count, false) ORDER BY r.byte_offset) INTO v_parts
      FROM dba.draft_sample_ranges(v_stat.size) r;
    RETURN QUERY SELECT dba._draft_output(dba._draft_plan(
        p_file_name => regexp_replace(v_name, '(\.(xlsx|xlsm|xlsb|xls|ods))\.csv$', '\1', 'i'),
        p_file_size => v_stat.size, p_parts => v_parts,
        p_job => p_job, p_table => p_table, p_mode => p_mode, p_base_dir => p_base_dir));
END
$function$;

ALTER FUNCTION dba.draft_job(text, text, text, text, text) OWNER TO feeds_owner;
REVOKE ALL ON FUNCTION dba.draft_job(text, text, text, text, text) FROM PUBLIC;
COMMENT ON FUNCTION dba.draft_job(text, text, text, text, text) IS
'Drafts a job from a file in an existing job''s processing directory (read by the server, sampled by dba.draft_sample_ranges): returns an SQL script (table, comments, grants, dba.timportconfig row) and, under it, a dry run of the sample through the drafted job, rolled back. For feeds_owner members; feeds job draft sends a sample from the client instead. Raises 42501 (not in a processing directory), FD011, 58P01, 22023.';
