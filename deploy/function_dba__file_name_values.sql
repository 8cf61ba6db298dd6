-- Deploy feeds:function_dba__file_name_values to pg
-- Generated from db/functions/dba._file_name_values.sql by bin/sync-functions: edit that file, not this one.
BEGIN;

-- dba._file_name_values: what a job's column map takes from a file name.
-- requires: table_dba_timportconfig
CREATE OR REPLACE FUNCTION dba._file_name_values(p_cfg dba.timportconfig, p_file_name text)
RETURNS jsonb
LANGUAGE sql
STABLE
SET search_path = pg_catalog, pg_temp
AS $function$
/*
   Internal. As the owner:
     SELECT dba._file_name_values(c, '20260101T000000_MeetMax_200005.xls')
       FROM dba.timportconfig c WHERE job_name = 'meetmax_company_list';   -- {"event_id": "200005"}
   One key per column map entry with from_file_name (its target), the first capture group of
   its regex over the name (JSON null when the name does not match); {} when there is none.
   Part of the exactly-once key of a load (dba._register_load).
*/
SELECT coalesce(jsonb_object_agg(e ->> 'target', (regexp_match(p_file_name, e ->> 'from_file_name'))[1]), '{}'::jsonb)
  FROM jsonb_array_elements(p_cfg.column_map) e
 WHERE e ? 'from_file_name';
$function$;

ALTER FUNCTION dba._file_name_values(dba.timportconfig, text) OWNER TO feeds_owner;
REVOKE ALL ON FUNCTION dba._file_name_values(dba.timportconfig, text) FROM PUBLIC;
COMMENT ON FUNCTION dba._file_name_values(dba.timportconfig, text) IS
'Internal: the values the job''s column map takes from the file name (from_file_name), target column -> value, {} when none. Raises nothing (the regexes are checked when the job is saved).';

COMMIT;
