-- dba.draft_job_from_sample: draft a job from a sample a client sends (feeds job draft FILE).
CREATE OR REPLACE FUNCTION dba.draft_job_from_sample(
    p_file_name text,
    p_file_size bigint,
    p_parts     bytea[],
    p_job       text DEFAULT NULL,
    p_table     text DEFAULT NULL,
    p_mode      text DEFAULT 'append',
    p_base_dir  text DEFAULT NULL
) RETURNS SETOF text
LANGUAGE sql
SECURITY DEFINER
SET search_path = pg_catalog, pg_temp
AS $function$
/*
   From a client that reads the file itself (the database need not see it):
     SELECT * FROM dba.draft_sample_ranges(<size>);          -- which bytes to send
     SELECT * FROM dba.draft_job_from_sample(p_file_name => 'orders_20261102.csv',
                                             p_file_size => <size>, p_parts => ARRAY[<bytes>, …],
                                             p_mode => 'upsert', p_base_dir => '/srv/feeds/orders');
   Returns the script lines of dba.draft_job() (nothing is created: the dry run is rolled back).
   Raises 22023 (bad name, table, mode, base directory; parts that are not the ranges; an empty
   sample; upsert without a candidate key).
*/
SELECT dba._draft_output(dba._draft_plan(p_file_name => p_file_name, p_file_size => p_file_size, p_parts => p_parts,
                                         p_job => p_job, p_table => p_table, p_mode => p_mode, p_base_dir => p_base_dir))
$function$;

ALTER FUNCTION dba.draft_job_from_sample(text, bigint, bytea[], text, text, text, text) OWNER TO feeds_owner;
REVOKE ALL ON FUNCTION dba.draft_job_from_sample(text, bigint, bytea[], text, text, text, text) FROM PUBLIC;
GRANT EXECUTE ON FUNCTION dba.draft_job_from_sample(text, bigint, bytea[], text, text, text, text) TO feeds_etl;
COMMENT ON FUNCTION dba.draft_job_from_sample(text, bigint, bytea[], text, text, text, text) IS
'Drafts a job from a sample the client sends (the byte ranges of dba.draft_sample_ranges, in order): returns an SQL script (table, comments, grants, dba.timportconfig row) and, under it, a dry run of the sample through the drafted job, rolled back. Reads no server file; changes nothing. Raises 22023 (bad job name, table, mode or base directory; parts that are not the sample ranges; a sample without a whole line; upsert without a candidate key).';
