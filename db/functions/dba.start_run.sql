-- dba.start_run: begin a run and return its uuid.
CREATE OR REPLACE FUNCTION dba.start_run(
    p_process_type text,
    p_as_of        date DEFAULT NULL
) RETURNS uuid
LANGUAGE plpgsql
SECURITY DEFINER
SET search_path = pg_catalog, pg_temp
AS $function$
/*
   From psql:
     SELECT dba.start_run('psql');                       -- today is the reference date
     SELECT dba.start_run('visitas', DATE '2013-02-15'); -- reproducible run "as of" a date
*/
DECLARE
    v_run uuid;
BEGIN
    IF p_process_type IS NULL OR btrim(p_process_type) = '' THEN
        RAISE EXCEPTION 'a run needs a process type'
              USING ERRCODE = '22004', HINT = 'SELECT dba.start_run(''feeds_run'');';
    END IF;
    INSERT INTO dba.trun (process_type, as_of)
    VALUES (p_process_type, coalesce(p_as_of, current_date))
    RETURNING run_uuid INTO v_run;
    PERFORM dba.log(p_run_uuid => v_run, p_process_type => p_process_type,
                    p_message => format('run started (as of %s)', coalesce(p_as_of, current_date)));
    RETURN v_run;
END
$function$;

ALTER FUNCTION dba.start_run(text, date) OWNER TO feeds_owner;
REVOKE ALL ON FUNCTION dba.start_run(text, date) FROM PUBLIC;
GRANT EXECUTE ON FUNCTION dba.start_run(text, date) TO feeds_etl;
COMMENT ON FUNCTION dba.start_run(text, date) IS
'Starts a run: records it in dba.trun with its reference date (default today), logs step 1 and returns the run uuid. Raises 22004 when the process type is empty.';
