-- dba.mark_moved: the runner says where a file now lies.
CREATE OR REPLACE FUNCTION dba.mark_moved(p_load_id bigint, p_new_path text)
RETURNS void
LANGUAGE plpgsql
SECURITY DEFINER
SET search_path = pg_catalog, pg_temp
AS $function$
/*
   From the runner, after moving a file listed by dba.files_to_move():
     SELECT dba.mark_moved(42, '/srv/feeds/visitas/archive/20240101_report_7.txt');
   Raises FD001 (unknown load), 22023 (not an absolute path).
*/
DECLARE
    v_load dba.tdataloads;
BEGIN
    IF p_new_path IS NULL OR p_new_path !~ '^/' OR p_new_path ~ '[[:cntrl:]]' THEN
        RAISE EXCEPTION 'the new location must be an absolute path' USING ERRCODE = '22023';
    END IF;
    UPDATE dba.tdataloads d SET file_location = p_new_path WHERE d.load_id = p_load_id RETURNING * INTO v_load;
    IF NOT FOUND THEN
        RAISE EXCEPTION 'load % does not exist', p_load_id USING ERRCODE = 'FD001';
    END IF;
    PERFORM dba.log(p_run_uuid => coalesce(v_load.run_uuid, '00000000-0000-0000-0000-000000000000'),
                    p_process_type => 'runner', p_load_id => p_load_id,
                    p_message => format('%s moved to %s', v_load.file_name, p_new_path));
END
$function$;

ALTER FUNCTION dba.mark_moved(bigint, text) OWNER TO feeds_owner;
REVOKE ALL ON FUNCTION dba.mark_moved(bigint, text) FROM PUBLIC;
GRANT EXECUTE ON FUNCTION dba.mark_moved(bigint, text) TO feeds_etl;
COMMENT ON FUNCTION dba.mark_moved(bigint, text) IS
'Records where a load''s file now lies (dba.tdataloads.file_location) and logs it. Raises FD001 (unknown load), 22023 (not an absolute path).';
