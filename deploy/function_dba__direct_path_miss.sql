-- Deploy feeds:function_dba__direct_path_miss to pg
-- Generated from db/functions/dba._direct_path_miss.sql by bin/sync-functions: edit that file, not this one.
BEGIN;

-- dba._direct_path_miss: the one-pass load's way out when a row is not plainly valid.
CREATE OR REPLACE FUNCTION dba._direct_path_miss()
RETURNS bigint
LANGUAGE plpgsql
VOLATILE
SET search_path = pg_catalog, pg_temp
AS $function$
/*
   Internal; evaluated by the fast ways' statement (dba._rows_sql, dba._load_sql: direct path or
   one pass over the staged lines) only for a row that is not plainly valid:
     CASE WHEN <every check holds> THEN <load id> ELSE dba._direct_path_miss() END
   The error stops the running statement; dba._take_fast_way() catches it and rolls the attempt
   back, and the staged file goes through full validation, which records every failure with
   its line and column.
*/
BEGIN
    RAISE EXCEPTION 'a row needs full validation' USING ERRCODE = 'FD098';
END
$function$;

ALTER FUNCTION dba._direct_path_miss() OWNER TO feeds_owner;
REVOKE ALL ON FUNCTION dba._direct_path_miss() FROM PUBLIC;
COMMENT ON FUNCTION dba._direct_path_miss() IS
'Internal: raises FD098, which ends a fast way''s statement (direct path or one pass); dba._take_fast_way catches it. Never reaches a caller.';

COMMIT;
