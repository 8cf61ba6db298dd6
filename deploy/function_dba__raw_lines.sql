-- Deploy feeds:function_dba__raw_lines to pg
-- Generated from db/functions/dba._raw_lines.sql by bin/sync-functions: edit that file, not this one.
BEGIN;

-- dba._raw_lines: a file's raw lines, streamed through file_fdw, read exactly as staging reads them.
CREATE OR REPLACE FUNCTION dba._raw_lines(p_load_id bigint, p_path text, p_encoding text)
RETURNS text
LANGUAGE plpgsql
SET search_path = pg_catalog, pg_temp
AS $function$
/*
   Internal; for dba._strict_csv() and dba._reject_set_aside(), which drop it again:
     SELECT dba._raw_lines(42, '/srv/…/a.csv', 'UTF8');   -- 'stage.load_42_t'
   Creates the foreign table stage.load_<id>_t (raw text) over the file: one field per physical
   line (the delimiter and quote are control characters that never occur in text files, as in
   dba._load_file's staging COPY), so raw is what staging would hold; an empty line is NULL.
   Returns its name.
*/
BEGIN
    EXECUTE format('CREATE FOREIGN TABLE stage.%I (raw text) SERVER feeds_files
                    OPTIONS (filename %L, format ''csv'', delimiter E''\x1f'', quote E''\x1e'', encoding %L)',
                   'load_' || p_load_id || '_t', p_path, p_encoding);
    RETURN format('stage.%I', 'load_' || p_load_id || '_t');
END
$function$;

ALTER FUNCTION dba._raw_lines(bigint, text, text) OWNER TO feeds_owner;
REVOKE ALL ON FUNCTION dba._raw_lines(bigint, text, text) FROM PUBLIC;
COMMENT ON FUNCTION dba._raw_lines(bigint, text, text) IS
'Internal: creates the foreign table stage.load_<id>_t of a file''s raw lines (one text field per line, as staging reads them) and returns its name. Raises what creating it raises.';

COMMIT;
