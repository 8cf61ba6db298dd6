-- dba.load_outcome(): a layout failure is a refused file, everything else its status.
BEGIN;
SELECT plan(4);

CREATE FUNCTION pg_temp.outcome(p_status text, p_sqlstate text) RETURNS text LANGUAGE sql AS $$
    SELECT dba.load_outcome(jsonb_populate_record(NULL::dba.tdataloads,
                            jsonb_build_object('status', p_status, 'error_sqlstate', p_sqlstate))) $$;
GRANT EXECUTE ON FUNCTION pg_temp.outcome(text, text) TO feeds_reader;
SELECT is(pg_temp.outcome('failed', 'FD020'), 'file refused: layout', 'a wrong header: the file is refused');
SELECT is(pg_temp.outcome('failed', 'FD021'), 'file refused: layout', 'no header: the file is refused');
SELECT is(pg_temp.outcome('failed', 'FD030'), 'failed', 'too many rejects: failed');
SET LOCAL ROLE feeds_reader;
SELECT is(pg_temp.outcome('loaded_with_rejects', NULL), 'loaded_with_rejects', 'otherwise the status; feeds_reader may ask');
RESET ROLE;

SELECT * FROM finish();
ROLLBACK;
