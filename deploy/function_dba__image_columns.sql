-- Deploy feeds:function_dba__image_columns to pg
-- Generated from db/functions/dba._image_columns.sql by bin/sync-functions: edit that file, not this one.
BEGIN;

-- dba._image_columns: the columns a before-image is kept in and put back through.
CREATE OR REPLACE FUNCTION dba._image_columns(p_target regclass, p_undo regclass, p_insertable boolean)
RETURNS text[]
LANGUAGE sql
STABLE
SET search_path = pg_catalog, pg_temp
AS $function$
/*
   Internal; for dba._load_rows and dba._empty_target (keeping images) and dba._restore_images
   (putting them back):
     SELECT dba._image_columns('eng_fx.people', 'undo.eng_fx_people_3f0c9a1b2d4e', true);
   The target's columns in their order, without dropped ones; with p_undo only those that typed
   undo table has too (an image kept before a column was added has not got it); with
   p_insertable without generated columns (an INSERT computes them).
*/
    SELECT coalesce(array_agg(a.attname::text ORDER BY a.attnum), '{}')
      FROM pg_attribute a
     WHERE a.attrelid = p_target AND a.attnum > 0 AND NOT a.attisdropped
       AND (NOT p_insertable OR a.attgenerated = '')
       AND (p_undo IS NULL OR EXISTS (SELECT 1 FROM pg_attribute u
                                       WHERE u.attrelid = p_undo AND u.attname = a.attname AND NOT u.attisdropped));
$function$;

ALTER FUNCTION dba._image_columns(regclass, regclass, boolean) OWNER TO feeds_owner;
REVOKE ALL ON FUNCTION dba._image_columns(regclass, regclass, boolean) FROM PUBLIC;
COMMENT ON FUNCTION dba._image_columns(regclass, regclass, boolean) IS
'Internal: the target''s columns (in order, no dropped ones) that a typed undo table also has (p_undo) and that an INSERT may set (p_insertable: no generated columns). Raises nothing.';

COMMIT;
