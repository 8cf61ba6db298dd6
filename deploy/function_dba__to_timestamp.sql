-- Deploy feeds:function_dba__to_timestamp to pg
-- Generated from db/functions/dba._to_timestamp.sql by bin/sync-functions: edit that file, not this one.
BEGIN;

-- dba._to_timestamp: strict, non-raising parse of a timestamp in an explicit format.
CREATE OR REPLACE FUNCTION dba._to_timestamp(p_value text, p_format text)
RETURNS timestamp
LANGUAGE plpgsql
IMMUTABLE PARALLEL SAFE
SET search_path = pg_catalog, pg_temp
AS $function$
/*
   SELECT dba._to_timestamp('08/02/2013 18:30', 'DD/MM/YYYY HH24:MI');  -- 2013-02-08 18:30
   SELECT dba._to_timestamp('31/02/2013 10:00', 'DD/MM/YYYY HH24:MI');  -- NULL (no such day)
   SELECT dba._to_timestamp('2013-02-08T18:30:05', 'ISO');              -- ISO 8601 date or date-time
   Returns NULL for anything that is not exactly in the format and a real calendar date/time;
   never raises, so validation stays one set-based statement.
   Tokens: YYYY, MM, DD, HH24, HH12/HH with AM/PM, MI, SS; other characters are literal.
*/
DECLARE
    v_fmt   text := coalesce(p_format, 'ISO');
    v_re    text := '';
    v_parts text[] := '{}';
    v_m     text[];
    v_i     integer := 1;
    v_tok   text;
    v_y int; v_mo int; v_d int; v_h int := 0; v_mi int := 0; v_s numeric := 0; v_ampm text;
BEGIN
    IF p_value IS NULL THEN
        RETURN NULL;
    END IF;
    IF upper(v_fmt) = 'ISO' THEN
        v_m := regexp_match(p_value, '^(\d{4})-(\d{2})-(\d{2})(?:[T ](\d{2}):(\d{2})(?::(\d{2}(?:\.\d{1,6})?))?)?$');
        IF v_m IS NULL THEN RETURN NULL; END IF;
        v_parts := ARRAY['YYYY', 'MM', 'DD', 'HH24', 'MI', 'SS'];
    ELSE
        WHILE v_i <= length(v_fmt) LOOP
            v_tok := CASE
                WHEN substr(v_fmt, v_i, 4) = 'YYYY' THEN 'YYYY'
                WHEN substr(v_fmt, v_i, 4) IN ('HH24', 'HH12') THEN substr(v_fmt, v_i, 4)
                WHEN substr(v_fmt, v_i, 2) IN ('MM', 'DD', 'HH', 'MI', 'SS', 'AM', 'PM') THEN substr(v_fmt, v_i, 2)
                ELSE NULL END;
            IF v_tok IS NULL THEN
                v_re := v_re || regexp_replace(substr(v_fmt, v_i, 1), '([^[:alnum:] ])', '\\\1');
                v_i := v_i + 1;
            ELSE
                v_re := v_re || CASE v_tok WHEN 'YYYY' THEN '(\d{4})' WHEN 'AM' THEN '([AaPp][Mm])'
                                           WHEN 'PM' THEN '([AaPp][Mm])' ELSE '(\d{2})' END;
                v_parts := v_parts || v_tok;
                v_i := v_i + length(v_tok);
            END IF;
        END LOOP;
        v_m := regexp_match(p_value, '^' || v_re || '$');
        IF v_m IS NULL THEN RETURN NULL; END IF;
    END IF;
    FOR v_i IN 1 .. cardinality(v_parts) LOOP
        CONTINUE WHEN v_m[v_i] IS NULL;
        CASE v_parts[v_i]
            WHEN 'YYYY' THEN v_y := v_m[v_i]::int;
            WHEN 'MM' THEN v_mo := v_m[v_i]::int;
            WHEN 'DD' THEN v_d := v_m[v_i]::int;
            WHEN 'HH24' THEN v_h := v_m[v_i]::int;
            WHEN 'HH12', 'HH' THEN v_h := v_m[v_i]::int; IF v_h NOT BETWEEN 1 AND 12 THEN RETURN NULL; END IF;
            WHEN 'MI' THEN v_mi := v_m[v_i]::int;
            WHEN 'SS' THEN v_s := v_m[v_i]::numeric;
            ELSE v_ampm := upper(v_m[v_i]);
        END CASE;
    END LOOP;
    IF v_ampm IS NOT NULL THEN
        v_h := (v_h % 12) + CASE WHEN v_ampm = 'PM' THEN 12 ELSE 0 END;
    END IF;
    IF v_y IS NULL OR v_mo IS NULL OR v_d IS NULL OR v_y < 1 OR v_mo NOT BETWEEN 1 AND 12 OR v_d < 1
       OR v_d > extract(day FROM (make_date(v_y, v_mo, 1) + interval '1 month - 1 day'))
       OR v_h > 23 OR v_mi > 59 OR v_s >= 60 THEN
        RETURN NULL;
    END IF;
    RETURN make_timestamp(v_y, v_mo, v_d, v_h, v_mi, v_s::double precision);
END
$function$;

ALTER FUNCTION dba._to_timestamp(text, text) OWNER TO feeds_owner;
REVOKE ALL ON FUNCTION dba._to_timestamp(text, text) FROM PUBLIC;
COMMENT ON FUNCTION dba._to_timestamp(text, text) IS
'Internal: parses a value in an explicit format (YYYY MM DD HH24 HH12 MI SS AM, or ISO) into a timestamp; NULL when the value is not exactly in the format or not a real calendar date/time. Never raises.';

COMMIT;
