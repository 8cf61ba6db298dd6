-- Deploy feeds:function_dba__leave_fast_way to pg
-- Generated from db/functions/dba._leave_fast_way.sql by bin/sync-functions: edit that file, not this one.
BEGIN;

-- dba._leave_fast_way: record why a load did not take (or left) a faster way, as data.
CREATE OR REPLACE FUNCTION dba._leave_fast_way(p_load_id bigint, p_way text, p_reason text)
RETURNS dba.tdataloads
LANGUAGE sql
SET search_path = pg_catalog, pg_temp
AS $function$
/*
   Internal; called where a fast way does not apply or ends, by dba._take_fast_way() and
   dba._load_file():
     RETURN dba._leave_fast_way(p_load_id, 'direct path', 'a byte-order mark');
   Appends "<way>: <reason>" to dba.tdataloads.path_note and returns NULL (the row type), which
   tells the caller to take the next way; dba._load_file() sets load_path to the way it took.
*/
UPDATE dba.tdataloads
   SET path_note = concat_ws('; ', path_note, p_way || ': ' || p_reason)
 WHERE load_id = p_load_id;
SELECT NULL::dba.tdataloads;
$function$;

ALTER FUNCTION dba._leave_fast_way(bigint, text, text) OWNER TO feeds_owner;
REVOKE ALL ON FUNCTION dba._leave_fast_way(bigint, text, text) FROM PUBLIC;
COMMENT ON FUNCTION dba._leave_fast_way(bigint, text, text) IS
'Internal: appends "<way>: <reason>" to the load''s path_note (why it did not take or left a faster way) and returns NULL. Never raises.';

COMMIT;
