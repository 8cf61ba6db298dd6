-- Deploy feeds:function_dba__map_vocabulary to pg
-- Generated from db/functions/dba._map_vocabulary.sql by bin/sync-functions: edit that file, not this one.
BEGIN;

-- dba._map_vocabulary: the types and rules a column map may use, in one place.
CREATE OR REPLACE FUNCTION dba._map_vocabulary(p_kind text)
RETURNS text[]
LANGUAGE sql
IMMUTABLE PARALLEL SAFE
SET search_path = pg_catalog, pg_temp
AS $function$
/*
   Internal; read by the job check (dba._timportconfig_check) and the plan compiler
   (dba._column_checks, dba._plan_column), so neither writes the lists itself:
     SELECT dba._map_vocabulary('type');   -- {text,integer,bigint,numeric,boolean,date,timestamp}
     SELECT dba._map_vocabulary('rule');   -- {regex,email,allowed,min,max,max_length}
*/
SELECT CASE p_kind
    WHEN 'type' THEN ARRAY['text', 'integer', 'bigint', 'numeric', 'boolean', 'date', 'timestamp']
    WHEN 'rule' THEN ARRAY['regex', 'email', 'allowed', 'min', 'max', 'max_length'] END
$function$;

ALTER FUNCTION dba._map_vocabulary(text) OWNER TO feeds_owner;
REVOKE ALL ON FUNCTION dba._map_vocabulary(text) FROM PUBLIC;
COMMENT ON FUNCTION dba._map_vocabulary(text) IS
'Internal: the column types (p_kind ''type'') or the rules (''rule'') a column map may use; NULL for any other kind. Never raises.';

COMMIT;
