-- Deploy feeds:function_dba_load_outcome to pg
-- Generated from db/functions/dba.load_outcome.sql by bin/sync-functions: edit that file, not this one.
BEGIN;

-- dba.load_outcome: what a load came to, in the words the console and the reports show.
-- requires: table_dba_tdataloads
CREATE OR REPLACE FUNCTION dba.load_outcome(p_load dba.tdataloads)
RETURNS text
LANGUAGE sql
IMMUTABLE
SECURITY DEFINER
SET search_path = pg_catalog, pg_temp
AS $function$
/*
   From psql or a shim:
     SELECT load_id, file_name, dba.load_outcome(d) FROM dba.tdataloads d ORDER BY load_id DESC LIMIT 5;
   'file refused: layout' for a file that failed on its layout (FD020 wrong header, FD021 no
   header: refused before any row was read, so none counts as read or rejected); else the status.
*/
SELECT CASE WHEN p_load.status = 'failed' AND p_load.error_sqlstate IN ('FD020', 'FD021') THEN 'file refused: layout'
            ELSE p_load.status END;
$function$;

ALTER FUNCTION dba.load_outcome(dba.tdataloads) OWNER TO feeds_owner;
REVOKE ALL ON FUNCTION dba.load_outcome(dba.tdataloads) FROM PUBLIC;
GRANT EXECUTE ON FUNCTION dba.load_outcome(dba.tdataloads) TO feeds_etl, feeds_reader;
COMMENT ON FUNCTION dba.load_outcome(dba.tdataloads) IS
'What a load came to, as the console, feeds status and feeds errors show it: ''file refused: layout'' for a layout failure (FD020, FD021), else its status. Raises nothing.';

COMMIT;
