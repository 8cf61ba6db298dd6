-- Deploy feeds:function_dba__direct_path_miss to pg
-- Generated from db/functions/dba._direct_path_miss.sql by bin/sync-functions: edit that file, not this one.
BEGIN;

-- dba._direct_path_miss: a fast way's way out when a line it set aside is valid after all.
CREATE OR REPLACE FUNCTION dba._direct_path_miss()
RETURNS bigint
LANGUAGE plpgsql
VOLATILE
SET search_path = pg_catalog, pg_temp
AS $function$
/*
   Internal; dba._load_fast_way() raises it when a line its statement set aside is valid after
   full validation (a number with spaces around it, say), so the rows it loaded must not stay:
     PERFORM dba._direct_path_miss();
   dba._take_fast_way() catches it and rolls the attempt back (in PL/pgSQL only an error rolls
   back), and the staged file goes through full validation, which loads that row too.
*/
BEGIN
    RAISE EXCEPTION 'a row needs full validation' USING ERRCODE = 'FD098';
END
$function$;

ALTER FUNCTION dba._direct_path_miss() OWNER TO feeds_owner;
REVOKE ALL ON FUNCTION dba._direct_path_miss() FROM PUBLIC;
COMMENT ON FUNCTION dba._direct_path_miss() IS
'Internal: raises FD098, which makes dba._take_fast_way roll a fast way''s attempt back (a line it set aside needs full validation). Never reaches a caller.';

COMMIT;
