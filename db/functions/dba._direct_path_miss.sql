-- dba._direct_path_miss: the one-pass load's way out when a row is not plainly valid.
CREATE OR REPLACE FUNCTION dba._direct_path_miss()
RETURNS bigint
LANGUAGE plpgsql
VOLATILE
SET search_path = pg_catalog, pg_temp
AS $function$
/*
   Internal; evaluated by the one-pass load of dba._process_load() (direct path or one pass over
   the staged lines) only for a row that is not plainly valid:
     CASE WHEN <every check holds> THEN <load id> ELSE dba._direct_path_miss() END
   The error rolls the attempt back; dba._load_file() then puts the staged file through full
   validation, which records every failure with its line and column.
*/
BEGIN
    RAISE EXCEPTION 'a row needs full validation' USING ERRCODE = 'FD098';
END
$function$;

ALTER FUNCTION dba._direct_path_miss() OWNER TO feeds_owner;
REVOKE ALL ON FUNCTION dba._direct_path_miss() FROM PUBLIC;
COMMENT ON FUNCTION dba._direct_path_miss() IS
'Internal: raises FD098, which makes dba._load_file() leave a one-pass load (direct path or one pass) for full validation. Never reaches a caller.';
