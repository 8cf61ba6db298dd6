-- Deploy feeds:function_dba__draft_name to pg
-- Generated from db/functions/dba._draft_name.sql by bin/sync-functions: edit that file, not this one.
BEGIN;

-- dba._draft_name: an SQL-safe name (column, table or job) from a header or a file name.
CREATE OR REPLACE FUNCTION dba._draft_name(p_text text, p_fallback text)
RETURNS text
LANGUAGE sql
STABLE PARALLEL SAFE
SET search_path = pg_catalog, pg_temp
AS $function$
/*
   SELECT dba._draft_name('Fecha Envío', 'column_1');   -- fecha_envio
   SELECT dba._draft_name('"; DROP TABLE x', 'column_2'); -- drop_table_x
   SELECT dba._draft_name('Order', 'column_3');          -- order_ (a reserved word)
   SELECT dba._draft_name('', 'column_4');               -- column_4
   Lower case, accents stripped, every run of other characters one underscore, at most 60
   characters; a leading digit gets c_, a keyword or system column name gets a trailing
   underscore. Never empty; uniqueness is the caller's (dba._draft_columns).
*/
SELECT CASE
    WHEN n = '' THEN p_fallback
    WHEN n IN (SELECT word FROM pg_get_keywords() WHERE catcode <> 'U')
      OR n IN ('load_id', 'line_no', 'oid', 'tableoid', 'ctid', 'xmin', 'xmax', 'cmin', 'cmax') THEN n || '_'
    ELSE n END
  FROM (SELECT CASE WHEN s ~ '^[0-9]' THEN 'c_' ELSE '' END || left(s, 60) AS n
          FROM (SELECT btrim(regexp_replace(dba._normalize_header(coalesce(p_text, '')), '[^a-z0-9]+', '_', 'g'), '_') AS s) a) b
$function$;

ALTER FUNCTION dba._draft_name(text, text) OWNER TO feeds_owner;
REVOKE ALL ON FUNCTION dba._draft_name(text, text) FROM PUBLIC;
COMMENT ON FUNCTION dba._draft_name(text, text) IS
'Internal: an SQL-safe identifier from a header name or file name (lower case, [a-z0-9_], no keyword, no system column, at most 62 characters), p_fallback when nothing is left. Never raises.';

COMMIT;
