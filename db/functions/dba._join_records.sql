-- dba._join_records: a staged file's lines joined into records where a quoted field spans lines.
CREATE OR REPLACE FUNCTION dba._join_records(p_load_id bigint, p_cfg dba.timportconfig)
RETURNS text
LANGUAGE plpgsql
SET search_path = pg_catalog, pg_temp
AS $function$
/*
   Internal; part of dba._open_load(), over the staged lines stage.load_<id> (line_no, raw[, eol]):
     SELECT dba._join_records(42, c) FROM dba.timportconfig c WHERE …;   -- 'stage.load_42' or 'stage.load_42_m'
   Quoted fields may span lines (a line break inside an Excel cell): when any line has an odd
   number of quote characters, the lines are joined into records by the running quote parity,
   set-based, into stage.load_<id>_m (line_no, raw); a record keeps the number of the line it
   starts on, and its lines are joined again with their own ending (server staging keeps it in
   eol; a client's staging table has none: LF), so a CR LF inside a field stays CR LF. Returns
   the relation that holds the records; files without such lines cost one cheap scan.
*/
DECLARE
    v_stage text := format('stage.%I', 'load_' || p_load_id);
    v_multi boolean;
BEGIN
    EXECUTE format('SELECT EXISTS (SELECT 1 FROM %s WHERE (length(raw) - length(replace(raw, $1, ''''))) %% 2 = 1)', v_stage)
       INTO v_multi USING p_cfg.quote_char;
    IF NOT v_multi THEN
        RETURN v_stage;
    END IF;
    EXECUTE format($m$
        CREATE UNLOGGED TABLE stage.%1$I AS
        SELECT min(line_no) AS line_no,
               CASE WHEN count(*) = 1 THEN max(raw) ELSE string_agg(coalesce(raw, ''), sep ORDER BY line_no) END AS raw
          FROM (SELECT line_no, raw, sep, count(*) FILTER (WHERE starts) OVER (ORDER BY line_no) AS rec
                  FROM (SELECT line_no, raw, coalesce(lag(eol) OVER (ORDER BY line_no), E'\n') AS sep,
                               coalesce(sum(odd) OVER (ORDER BY line_no ROWS BETWEEN UNBOUNDED PRECEDING AND 1 PRECEDING), 0) %% 2 = 0 AS starts
                          FROM (SELECT line_no, raw, %4$s AS eol, (length(raw) - length(replace(raw, %2$L, ''))) %% 2 AS odd FROM %3$s) a) b) c
         GROUP BY rec
        $m$, 'load_' || p_load_id || '_m', p_cfg.quote_char, v_stage,
        CASE WHEN EXISTS (SELECT 1 FROM pg_attribute WHERE attrelid = v_stage::regclass AND attname = 'eol' AND NOT attisdropped)
             THEN 'eol' ELSE 'NULL::text' END);
    RETURN format('stage.%I', 'load_' || p_load_id || '_m');
END
$function$;

ALTER FUNCTION dba._join_records(bigint, dba.timportconfig) OWNER TO feeds_owner;
REVOKE ALL ON FUNCTION dba._join_records(bigint, dba.timportconfig) FROM PUBLIC;
COMMENT ON FUNCTION dba._join_records(bigint, dba.timportconfig) IS
'Internal: when a staged file has a line with an odd number of quote characters, joins its lines into records (stage.load_<id>_m, each numbered by its first line, joined with each line''s own ending); returns the relation holding the records. Never raises for a staging table built by the engine.';
