-- dba._job_for_file: the job a shim names must exist and take the file name.
CREATE OR REPLACE FUNCTION dba._job_for_file(p_job text, p_file_name text)
RETURNS dba.timportconfig
LANGUAGE plpgsql
STABLE
SET search_path = pg_catalog, pg_temp
AS $function$
/*
   Internal; shared by dba.register_file(), dba.begin_load() and dba.reject_file():
     v_cfg := dba._job_for_file('visitas', 'report_7.txt');
   Raises FD011 (unsafe name), FD001 (unknown job), FD003 (dba.match_config gives another job or
   none), FD002 (two jobs tie for the name).
*/
DECLARE
    v_cfg dba.timportconfig;
    v_job text;
BEGIN
    PERFORM dba._check_file_name(p_file_name);
    SELECT * INTO v_cfg FROM dba.timportconfig c WHERE c.job_name = p_job;
    IF NOT FOUND THEN
        RAISE EXCEPTION 'job % does not exist', quote_literal(p_job) USING ERRCODE = 'FD001';
    END IF;
    SELECT m.job_name INTO v_job FROM dba.match_config(p_file_name) m;
    IF v_job IS DISTINCT FROM p_job THEN
        RAISE EXCEPTION 'job % does not take file %', p_job, quote_literal(p_file_name)
              USING ERRCODE = 'FD003', DETAIL = format('dba.match_config() gives %s.', coalesce(v_job, 'no job'));
    END IF;
    RETURN v_cfg;
END
$function$;

ALTER FUNCTION dba._job_for_file(text, text) OWNER TO feeds_owner;
REVOKE ALL ON FUNCTION dba._job_for_file(text, text) FROM PUBLIC;
COMMENT ON FUNCTION dba._job_for_file(text, text) IS
'Internal: returns the job row when the job exists and dba.match_config() gives it for the file name. Raises FD001, FD002, FD003, FD011.';
