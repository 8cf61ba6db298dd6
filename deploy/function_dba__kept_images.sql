-- Deploy feeds:function_dba__kept_images to pg
-- Generated from db/functions/dba._kept_images.sql by bin/sync-functions: edit that file, not this one.
BEGIN;

-- dba._kept_images: note how many before-images a load kept in a typed undo table, and whose rows.
-- requires: table_dba_tundoimages
CREATE OR REPLACE FUNCTION dba._kept_images(p_load_id bigint, p_undo regclass, p_rows bigint, p_old_load_ids bigint[])
RETURNS void
LANGUAGE sql
SET search_path = pg_catalog, pg_temp
AS $function$
/*
   Internal; after dba._load_rows or dba._empty_target kept images in the table that
   dba._undo_table gave (which registered it for the load):
     SELECT dba._kept_images(42, 'undo.eng_fx_people_3f0c9a1b2d4e', 1000, '{17,41}');
   Adds p_rows to dba.tundoimages.rows_kept and the loads that had written those rows to
   old_load_ids (what dba.undo_load's FD040 check reads).
*/
    UPDATE dba.tundoimages s
       SET rows_kept = s.rows_kept + p_rows,
           old_load_ids = ARRAY(SELECT DISTINCT x FROM unnest(s.old_load_ids || p_old_load_ids) x WHERE x IS NOT NULL ORDER BY x)
     WHERE s.load_id = p_load_id AND s.undo_table = p_undo::text;
$function$;

ALTER FUNCTION dba._kept_images(bigint, regclass, bigint, bigint[]) OWNER TO feeds_owner;
REVOKE ALL ON FUNCTION dba._kept_images(bigint, regclass, bigint, bigint[]) FROM PUBLIC;
COMMENT ON FUNCTION dba._kept_images(bigint, regclass, bigint, bigint[]) IS
'Internal: records in dba.tundoimages how many before-images a load kept in a typed undo table and which loads had written those rows. Raises nothing.';

COMMIT;
