-- dba.delivered_name: which delivered file a name in a job's processing directory is loaded for.
CREATE OR REPLACE FUNCTION dba.delivered_name(p_job text, p_processing_name text)
RETURNS text
LANGUAGE sql
STABLE
SECURITY DEFINER
SET search_path = pg_catalog, pg_temp
AS $function$
/*
   The inverse of dba.processing_name(), for the engine (which names in processing it loads)
   and the runner's list (a workbook load moves its original too):
     SELECT dba.delivered_name('meetmax_list', 'list.xls.csv');   -- 'list.xls'
     SELECT dba.delivered_name('meetmax_list', 'list.xls');       -- NULL: not loaded by itself
     SELECT dba.delivered_name('visitas', 'report_7.txt');        -- 'report_7.txt'
   NULL when the job loads nothing under that name (a workbook job loads only <name>.csv).
   A path works too. The rule itself is dba.processing_name()'s: what it adds to the empty
   name is the suffix taken off here. Raises FD001 (unknown job).
*/
SELECT CASE WHEN s.suffix = '' THEN p_processing_name
            WHEN length(p_processing_name) > length(s.suffix) AND right(p_processing_name, length(s.suffix)) = s.suffix
            THEN left(p_processing_name, -length(s.suffix)) END
  FROM (SELECT dba.processing_name(p_job, '') AS suffix) s
$function$;

ALTER FUNCTION dba.delivered_name(text, text) OWNER TO feeds_owner;
REVOKE ALL ON FUNCTION dba.delivered_name(text, text) FROM PUBLIC;
GRANT EXECUTE ON FUNCTION dba.delivered_name(text, text) TO feeds_etl;
COMMENT ON FUNCTION dba.delivered_name(text, text) IS
'Inverse of dba.processing_name(): the delivered file name (or path) that a name in the job''s processing directory is loaded for, the name without .csv for a workbook job, the name itself otherwise; NULL when the job loads nothing under that name. Raises FD001 (unknown job).';
