-- Deploy feeds:function_dba__check_registered to pg
-- Generated from db/functions/dba._check_registered.sql by bin/sync-functions: edit that file, not this one.
BEGIN;

-- dba._check_registered: is the file in processing still the one the watcher registered?
CREATE OR REPLACE FUNCTION dba._check_registered(p_load dba.tdataloads, p_quote bytea DEFAULT NULL, p_when text DEFAULT 'before loading')
RETURNS boolean
LANGUAGE plpgsql
SET search_path = pg_catalog, pg_temp
AS $function$
/*
   Internal; dba.run_import() calls it before a file is staged and again after it loaded, before
   the commit. PostgreSQL follows links and cannot lstat, so the engine reads only what the
   watcher vouched for: it lstat-checked the file (a plain file with one link) and registered its
   size and sha256 (dba.register_file). Raises FD016 when the file at p_load.file_path is missing,
   or its size or sha256 differ from the registered ones (a link planted or swapped in, a file
   replaced, a writer still at work); the message names the file and says so, and holds nothing
   of what was read.
   Returns whether p_quote (the job's quote character, encoded) occurs in the file.
     SELECT dba._check_registered(d) FROM dba.tdataloads d WHERE load_id = 42;
*/
DECLARE
    v_stat  record;
    v_bytes bytea;
    v_why   text;
BEGIN
    SELECT * INTO v_stat FROM pg_stat_file(p_load.file_path, true);
    IF v_stat IS NULL OR v_stat.isdir THEN
        v_why := 'it is gone';
    ELSIF v_stat.size IS DISTINCT FROM p_load.file_size THEN
        v_why := format('its size differs from the %s bytes registered', p_load.file_size);
    ELSE
        v_bytes := pg_read_binary_file(p_load.file_path, 0, v_stat.size, false);
        IF encode(sha256(v_bytes), 'hex') IS DISTINCT FROM p_load.sha256 THEN
            v_why := 'its sha256 differs from the one registered';
        END IF;
    END IF;
    IF v_why IS NOT NULL THEN
        RAISE EXCEPTION '%: % is not the file feeds watch registered (%, %): a link, a replaced file or one still being written; nothing of it was kept',
                        p_load.file_name, p_load.file_path, p_when, v_why
              USING ERRCODE = 'FD016',
                    HINT = 'Put the complete, real file back into the job''s inbox: feeds watch checks it (a plain file with one link, no writer at work) and registers it.';
    END IF;
    RETURN p_quote IS NOT NULL AND position(p_quote IN v_bytes) > 0;
END
$function$;

ALTER FUNCTION dba._check_registered(dba.tdataloads, bytea, text) OWNER TO feeds_owner;
REVOKE ALL ON FUNCTION dba._check_registered(dba.tdataloads, bytea, text) FROM PUBLIC;
COMMENT ON FUNCTION dba._check_registered(dba.tdataloads, bytea, text) IS
'Internal: checks that the file of a pending server load is still the one registered (size and sha256), else raises FD016 with a message that holds nothing of its content; returns whether the given quote bytes occur in it.';

COMMIT;
