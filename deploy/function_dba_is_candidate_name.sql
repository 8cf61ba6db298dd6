-- Deploy feeds:function_dba_is_candidate_name to pg
-- Generated from db/functions/dba.is_candidate_name.sql by bin/sync-functions: edit that file, not this one.
BEGIN;

-- dba.is_candidate_name: is a name in an inbox a file the watcher should look at at all?
CREATE OR REPLACE FUNCTION dba.is_candidate_name(p_file_name text)
RETURNS boolean
LANGUAGE sql
IMMUTABLE
PARALLEL SAFE
SET search_path = pg_catalog, pg_temp
AS $function$
/*
   From the watcher, for the names it lists in an inbox:
     SELECT n FROM unnest(ARRAY['a.csv', 'a.csv.part', '.lock', '~$book.xlsx']) n WHERE dba.is_candidate_name(n);
   false for dot-files (Feeds' own temporary files and locks), Office lock files (~$…) and
   partial uploads (.part, .tmp, .filepart, .crdownload, .partial, .download, .swp, any case);
   true otherwise. Which job takes the name is dba.match_config's answer. Raises nothing.
*/
SELECT p_file_name IS NOT NULL AND p_file_name !~ '^(\.|~\$)'
       AND p_file_name !~* '\.(part|tmp|filepart|crdownload|partial|download|swp)$';
$function$;

ALTER FUNCTION dba.is_candidate_name(text) OWNER TO feeds_owner;
REVOKE ALL ON FUNCTION dba.is_candidate_name(text) FROM PUBLIC;
GRANT EXECUTE ON FUNCTION dba.is_candidate_name(text) TO feeds_etl;
COMMENT ON FUNCTION dba.is_candidate_name(text) IS
'For the watcher: false for names it must never take (dot-files, ~$ Office lock files, partial uploads .part .tmp .filepart .crdownload .partial .download .swp), true otherwise. Raises nothing.';

COMMIT;
