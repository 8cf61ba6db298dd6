-- dba._check_file_name: refuse file names that could leave a job's directory.
CREATE OR REPLACE FUNCTION dba._check_file_name(p_file_name text)
RETURNS text
LANGUAGE plpgsql
IMMUTABLE
SET search_path = pg_catalog, pg_temp
AS $function$
/*
   SELECT dba._check_file_name('report_1.txt');   -- returns the name
   SELECT dba._check_file_name('../etc/passwd');  -- raises FD011
*/
BEGIN
    IF p_file_name IS NULL OR p_file_name = '' OR p_file_name ~ '/' OR p_file_name ~ '^\.'
       OR p_file_name ~ '[[:cntrl:]]' OR p_file_name = '..' OR length(p_file_name) > 255 THEN
        RAISE EXCEPTION 'unsafe file name %', coalesce(quote_literal(p_file_name), 'NULL')
              USING ERRCODE = 'FD011',
                    DETAIL = 'File names may not be empty, contain "/" or control characters, or start with a dot.',
                    HINT = 'Rename the file; Feeds only reads plain names inside a job''s directories.';
    END IF;
    RETURN p_file_name;
END
$function$;

ALTER FUNCTION dba._check_file_name(text) OWNER TO feeds_owner;
REVOKE ALL ON FUNCTION dba._check_file_name(text) FROM PUBLIC;
COMMENT ON FUNCTION dba._check_file_name(text) IS
'Internal: returns the name when it is a plain file name; raises FD011 for empty names, "/", "..", a leading dot or control characters.';
