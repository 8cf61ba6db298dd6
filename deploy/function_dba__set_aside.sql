-- Deploy feeds:function_dba__set_aside to pg
-- Generated from db/functions/dba._set_aside.sql by bin/sync-functions: edit that file, not this one.
BEGIN;

-- dba._set_aside: a fast way's statement sets a line aside for full validation and goes on.
CREATE OR REPLACE FUNCTION dba._set_aside(p_load_id bigint, p_line_no bigint)
RETURNS boolean
LANGUAGE plpgsql
VOLATILE
SET search_path = pg_catalog, pg_temp
AS $function$
/*
   Internal; evaluated by the fast ways' statement (dba._rows_sql, dba._load_sql) only for a row
   that is not plainly valid:
     … WHERE CASE WHEN <every check holds> THEN true ELSE dba._set_aside(42, s.line_no) END
   Records the line in dba.tsetaside and returns false, so the row is not loaded and the
   statement carries on; dba._reject_set_aside() then validates the lines set aside. A clean
   file never calls it.
*/
BEGIN
    INSERT INTO dba.tsetaside (load_id, line_no) VALUES (p_load_id, p_line_no);
    RETURN false;
END
$function$;

ALTER FUNCTION dba._set_aside(bigint, bigint) OWNER TO feeds_owner;
REVOKE ALL ON FUNCTION dba._set_aside(bigint, bigint) FROM PUBLIC;
COMMENT ON FUNCTION dba._set_aside(bigint, bigint) IS
'Internal: records a line a fast way''s statement did not load (dba.tsetaside) and returns false. Never raises.';

COMMIT;
