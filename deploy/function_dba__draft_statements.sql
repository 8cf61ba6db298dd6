-- Deploy feeds:function_dba__draft_statements to pg
-- Generated from db/functions/dba._draft_statements.sql by bin/sync-functions: edit that file, not this one.
BEGIN;

-- dba._draft_statements: the SQL statements of a draft job, rendered from its plan.
CREATE OR REPLACE FUNCTION dba._draft_statements(p_plan dba.draft_plan)
RETURNS SETOF text
LANGUAGE sql
STABLE
SET search_path = pg_catalog, pg_temp
AS $function$
/*
   SELECT dba._draft_statements(dba._draft_plan('a_1.csv', 5, ARRAY['\x69640a310a'::bytea]));
   In order, each without its semicolon: CREATE SCHEMA (only when it does not exist yet),
   CREATE TABLE (the columns, load_id, line_no, a primary key on the upsert key; a column's
   note as an SQL comment), COMMENT ON TABLE and each column, the grants to feeds_owner, and the
   dba.timportconfig row. Every name goes through %I and every value through %L.
*/
WITH t AS (
    SELECT split_part(p_plan.target_table, '.', 1) AS s, split_part(p_plan.target_table, '.', 2) AS n
), c AS (
    SELECT (e ->> 'position')::int AS pos, e -> 'map' ->> 'target' AS target, e ->> 'sql_type' AS typ,
           e -> 'map' ->> 'format' AS fmt, e ->> 'note' AS note, e -> 'map' ->> 'source' AS source,
           coalesce((e -> 'map' ->> 'required')::boolean, false) AS required, e -> 'map' AS map
      FROM jsonb_array_elements(p_plan.columns) e
)
SELECT stmt FROM (
SELECT 1 AS k, format('CREATE SCHEMA %I', t.s) AS stmt FROM t WHERE to_regnamespace(quote_ident(t.s)) IS NULL
UNION ALL
SELECT 2, format(E'CREATE TABLE %I.%I (\n%s\n)', t.s, t.n, string_agg(l, E'\n' ORDER BY k))
  FROM t, (SELECT c.pos AS k, format('    %I %s%s,%s', c.target, c.typ, CASE WHEN c.required THEN ' NOT NULL' ELSE '' END,
                                      coalesce('  -- ' || nullif(concat_ws('; ', c.fmt, c.note), ''), '')) AS l FROM c
           UNION ALL SELECT 100001, '    load_id bigint NOT NULL,'
           UNION ALL SELECT 100002, '    line_no bigint' || CASE WHEN cardinality(p_plan.key_columns) > 0 THEN ',' ELSE '' END
           UNION ALL SELECT 100003, format('    CONSTRAINT %I PRIMARY KEY (%s)', left((SELECT n FROM t), 58) || '_pkey',
                                           (SELECT string_agg(quote_ident(k), ', ') FROM unnest(p_plan.key_columns) k))
                      WHERE cardinality(p_plan.key_columns) > 0) x
 GROUP BY t.s, t.n
UNION ALL
SELECT 3, format('COMMENT ON TABLE %I.%I IS %L', t.s, t.n,
              format('Rows of the files of job %s (%s), drafted from %s by dba.draft_job.', p_plan.job_name, p_plan.file_pattern, p_plan.file_name))
  FROM t
UNION ALL
SELECT 4 + c.pos / 100000.0, format('COMMENT ON COLUMN %I.%I.%I IS %L', t.s, t.n, c.target,
               CASE WHEN p_plan.has_header THEN format('Column %s (%s) of the file.', c.pos, coalesce(quote_literal(c.source), 'no name'))
                    ELSE format('Column %s of the file.', c.pos) END)
   FROM t, c
UNION ALL
SELECT 5, format('COMMENT ON COLUMN %I.%I.load_id IS %L', t.s, t.n, 'The load that wrote the row (dba.tdataloads).') FROM t
UNION ALL
SELECT 6, format('COMMENT ON COLUMN %I.%I.line_no IS %L', t.s, t.n, 'Line of the source file the row came from.') FROM t
UNION ALL
SELECT 7, format('GRANT USAGE ON SCHEMA %I TO feeds_owner', t.s) FROM t
UNION ALL
SELECT 8, format('GRANT SELECT, INSERT, UPDATE, DELETE ON %I.%I TO feeds_owner', t.s, t.n) FROM t
UNION ALL
SELECT 9, format(E'INSERT INTO dba.timportconfig (job_name, file_pattern, file_type, inbox_dir, processing_dir, archive_dir, failed_dir,\n'
              || E'                               delimiter, quote_char, encoding, has_header, skip_lines, target_table,\n'
              || E'                               load_mode, key_columns, column_map)\n'
              || E'VALUES (%L, %L, %L, %L, %L, %L, %L,\n        %L, %L, %L, %L, %s, %L,\n        %L, %L, %L)',
              p_plan.job_name, p_plan.file_pattern, p_plan.file_type, p_plan.base_dir || '/inbox', p_plan.base_dir || '/processing',
              p_plan.base_dir || '/archive', p_plan.base_dir || '/failed',
              p_plan.delimiter, p_plan.quote_char, p_plan.encoding, p_plan.has_header, p_plan.skip_lines, p_plan.target_table,
              p_plan.load_mode, p_plan.key_columns,
              E'[' || (SELECT string_agg(o.entry, E',\n          ' ORDER BY o.pos)
                         FROM (SELECT c.pos, '{' || string_agg(format('%s: %s', to_json(m.key), m.value), ', '
                                                               ORDER BY array_position(ARRAY['source', 'target', 'type', 'format', 'required', 'rules'], m.key)) || '}' AS entry
                                 FROM c, jsonb_each(c.map) m GROUP BY c.pos) o) || ']')
) s ORDER BY k
$function$;

ALTER FUNCTION dba._draft_statements(dba.draft_plan) OWNER TO feeds_owner;
REVOKE ALL ON FUNCTION dba._draft_statements(dba.draft_plan) FROM PUBLIC;
COMMENT ON FUNCTION dba._draft_statements(dba.draft_plan) IS
'Internal: the statements (without semicolons) that create a draft''s schema when missing, table, comments, grants to feeds_owner and dba.timportconfig row. Raises nothing.';

COMMIT;
