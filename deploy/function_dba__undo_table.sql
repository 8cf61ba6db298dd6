-- Deploy feeds:function_dba__undo_table to pg
-- Generated from db/functions/dba._undo_table.sql by bin/sync-functions: edit that file, not this one.
BEGIN;

-- dba._undo_table: the typed table that keeps a load's before-images of a target's rows.
-- requires: table_dba_tundoimages
CREATE OR REPLACE FUNCTION dba._undo_table(p_load_id bigint, p_target regclass)
RETURNS regclass
LANGUAGE plpgsql
SECURITY DEFINER
SET search_path = pg_catalog, pg_temp
AS $function$
/*
   Internal; dba._load_rows (upsert) and dba._empty_target (replace, replace_per_run) call it
   before they keep before-images, then dba._kept_images with what they kept:
     SELECT dba._undo_table(42, 'eng_fx.people');   -- undo.eng_fx_people_3f0c9a1b2d4e
   One table per target and column layout (the names and types of its columns), created on
   first need, owned by feeds_owner: CREATE TABLE … (undo_load_id bigint, LIKE target), so an
   image is the row as it was, typed (its own load_id column says which load had written it),
   and undo_load_id the load that overwrote or removed it (a BRIN index: images of one load lie
   together). The name is <schema>_<table> cut to 40 bytes, then 12 hex digits of the md5 of the
   target and its layout. A column added to, dropped from or retyped in the target makes a new
   layout and so a new table; older loads' images stay where they are, and dba.undo_load puts
   back the columns the target still has (the others take their defaults). Registers the table
   for the load in dba.tundoimages, which drops it with the last load that has images in it.
   Raises FD010 when the target has a column named undo_load_id.
*/
DECLARE
    v_layout text;
    v_base   text;
    v_name   text;
    v_undo   regclass;
    v_clash  boolean;
BEGIN
    SELECT string_agg(format('%I %s', a.attname, format_type(a.atttypid, a.atttypmod)), ', ' ORDER BY a.attnum),
           min(n.nspname || '_' || c.relname), bool_or(a.attname = 'undo_load_id')
      INTO v_layout, v_base, v_clash
      FROM pg_attribute a JOIN pg_class c ON c.oid = a.attrelid JOIN pg_namespace n ON n.oid = c.relnamespace
     WHERE a.attrelid = p_target AND a.attnum > 0 AND NOT a.attisdropped;
    IF v_clash THEN
        RAISE EXCEPTION 'target table % has a column named undo_load_id: its before-images cannot be kept', p_target
              USING ERRCODE = 'FD010', HINT = 'undo_load_id is the column that names the load in a typed undo table; rename the target''s column.';
    END IF;
    WHILE octet_length(v_base) > 40 LOOP
        v_base := left(v_base, -1);
    END LOOP;
    v_name := v_base || '_' || left(md5(p_target::text || ': ' || v_layout), 12);
    v_undo := to_regclass(format('undo.%I', v_name));
    IF v_undo IS NULL THEN
        -- Two loads of one target may get here at once: one creates, the other waits and finds it.
        PERFORM pg_advisory_xact_lock(hashtext('dba._undo_table'), hashtext(v_name));
        EXECUTE format('CREATE TABLE IF NOT EXISTS undo.%I (undo_load_id bigint NOT NULL, LIKE %s)', v_name, p_target);
        v_undo := format('undo.%I', v_name)::regclass;
        EXECUTE format('CREATE INDEX IF NOT EXISTS %I ON %s USING brin (undo_load_id)', v_name || '_load_idx', v_undo);
        EXECUTE format('GRANT SELECT ON %s TO feeds_reader', v_undo);
        EXECUTE format('COMMENT ON TABLE %s IS %L', v_undo,
                       format('Before-images of rows of %s (layout: %s) that loads overwrote or removed, for dba.undo_load(); undo_load_id is that load, load_id the load that had written the row. Created by dba._undo_table, listed in dba.tundoimages.',
                              p_target, v_layout));
    END IF;
    INSERT INTO dba.tundoimages (load_id, undo_table, target_table)
    VALUES (p_load_id, v_undo::text, p_target::text)
    ON CONFLICT ON CONSTRAINT tundoimages_pkey DO NOTHING;
    RETURN v_undo;
END
$function$;

ALTER FUNCTION dba._undo_table(bigint, regclass) OWNER TO feeds_owner;
REVOKE ALL ON FUNCTION dba._undo_table(bigint, regclass) FROM PUBLIC;
COMMENT ON FUNCTION dba._undo_table(bigint, regclass) IS
'Internal: the typed table in schema undo that keeps before-images of the target''s rows for its current column layout (created on first need, as feeds_owner), registered for the load in dba.tundoimages. Raises FD010 (the target has a column named undo_load_id).';

COMMIT;
