-- Deploy feeds:function_dba__normalize_header to pg
-- Generated from db/functions/dba._normalize_header.sql by bin/sync-functions: edit that file, not this one.
BEGIN;

-- dba._normalize_header: compare header names ignoring case, accents and surrounding blanks.
CREATE OR REPLACE FUNCTION dba._normalize_header(p_name text)
RETURNS text
LANGUAGE sql
IMMUTABLE PARALLEL SAFE
SET search_path = pg_catalog, pg_temp
AS $function$
/*
   SELECT dba._normalize_header(' Fecha Envío ');   -- 'fecha envio'
*/
SELECT regexp_replace(
         translate(lower(btrim(p_name, E' \t\r\n\uFEFF')),
                   'áéíóúàèìòùäëïöüâêîôûãõñçýÿ',
                   'aeiouaeiouaeiouaeiouaoncyy'),
         '\s+', ' ', 'g')
$function$;

ALTER FUNCTION dba._normalize_header(text) OWNER TO feeds_owner;
REVOKE ALL ON FUNCTION dba._normalize_header(text) FROM PUBLIC;
COMMENT ON FUNCTION dba._normalize_header(text) IS
'Internal: lower-cases a header name, strips accents, a byte-order mark and surrounding blanks, and folds inner white space, so "Fecha Envío" matches "fecha envio".';

COMMIT;
