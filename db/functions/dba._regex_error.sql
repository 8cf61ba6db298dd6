-- dba._regex_error: why a regular expression does not compile, or NULL when it does.
CREATE OR REPLACE FUNCTION dba._regex_error(p_regex text)
RETURNS text
LANGUAGE plpgsql
SET search_path = pg_catalog, pg_temp
AS $function$
/*
   Internal; the job check's steps (dba._check_job_target, dba._check_map_entry,
   dba._check_map_rules) ask it of each pattern and regex a job names:
     SELECT dba._regex_error('^a(\.csv$');   -- invalid regular expression: parentheses () not balanced
     SELECT dba._regex_error('^a\.csv$');    -- NULL (as for NULL)
*/
BEGIN
    PERFORM '' ~ p_regex;
    RETURN NULL;
EXCEPTION WHEN invalid_regular_expression THEN
    RETURN SQLERRM;
END
$function$;

ALTER FUNCTION dba._regex_error(text) OWNER TO feeds_owner;
REVOKE ALL ON FUNCTION dba._regex_error(text) FROM PUBLIC;
COMMENT ON FUNCTION dba._regex_error(text) IS
'Internal: the message of the error compiling p_regex as a POSIX regular expression, or NULL when it compiles (or is NULL). Raises nothing.';
