-- Deploy feeds:function_dba__direct_path_miss to pg
-- Generated from db/functions/dba._direct_path_miss.sql by bin/sync-functions: edit that file, not this one.
BEGIN;

-- dba._direct_path_miss: the direct path's way out when a row is not plainly valid.
CREATE OR REPLACE FUNCTION dba._direct_path_miss()
RETURNS bigint
LANGUAGE plpgsql
VOLATILE
SET search_path = pg_catalog, pg_temp
AS $function$
/*
   Internal; evaluated by the direct path of dba._process_load() only for a row that is not
   plainly valid:  CASE WHEN <every check holds> THEN <load id> ELSE dba._direct_path_miss() END.
   The error rolls the direct attempt back; dba._load_file() then stages the file and validates it
   row by row, which records every failure with its line and column.
*/
BEGIN
    RAISE EXCEPTION 'a row needs row-by-row validation' USING ERRCODE = 'FD098';
END
$function$;

ALTER FUNCTION dba._direct_path_miss() OWNER TO feeds_owner;
REVOKE ALL ON FUNCTION dba._direct_path_miss() FROM PUBLIC;
COMMENT ON FUNCTION dba._direct_path_miss() IS
'Internal: raises FD098, which makes dba._load_file() leave the direct path for row-by-row validation. Never reaches a caller.';

COMMIT;
