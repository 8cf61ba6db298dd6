-- dba._check_job_keys: a job's key columns are mapped and, for upsert, have a unique index.
CREATE OR REPLACE FUNCTION dba._check_job_keys(p_cfg dba.timportconfig, p_rel regclass, p_mapped text[])
RETURNS void
LANGUAGE plpgsql
SET search_path = pg_catalog, pg_temp
AS $function$
/*
   Internal; a step of the job check (dba._timportconfig_check), after the column map:
     SELECT dba._check_job_keys(c, c.target_table::regclass, '{order_id,customer}')
       FROM dba.timportconfig c WHERE job_name = 'orders';   -- nothing, or FD010
   Every key column is one of p_mapped (the column map's targets); an upsert job needs a unique
   index of p_rel, without predicate or expression, on exactly its key columns.
*/
DECLARE
    v_key text;
BEGIN
    FOREACH v_key IN ARRAY p_cfg.key_columns LOOP
        IF NOT v_key = ANY (p_mapped) THEN
            RAISE EXCEPTION 'job %: key column % is not in the column map', p_cfg.job_name, quote_ident(v_key)
                  USING ERRCODE = 'FD010';
        END IF;
    END LOOP;
    IF p_cfg.load_mode = 'upsert' AND NOT EXISTS (
           SELECT 1 FROM pg_index i
            WHERE i.indrelid = p_rel AND i.indisunique AND i.indpred IS NULL AND i.indexprs IS NULL
              AND (SELECT array_agg(a.attname::text ORDER BY a.attname)
                     FROM pg_attribute a WHERE a.attrelid = p_rel AND a.attnum = ANY (i.indkey))
                  = (SELECT array_agg(k ORDER BY k) FROM unnest(p_cfg.key_columns) k)) THEN
        RAISE EXCEPTION 'job %: upsert needs a unique index on % (%)', p_cfg.job_name, p_rel,
              array_to_string(p_cfg.key_columns, ', ')
              USING ERRCODE = 'FD010',
                    HINT = format('CREATE UNIQUE INDEX ON %s (%s);', p_rel, array_to_string(p_cfg.key_columns, ', '));
    END IF;
END
$function$;

ALTER FUNCTION dba._check_job_keys(dba.timportconfig, regclass, text[]) OWNER TO feeds_owner;
REVOKE ALL ON FUNCTION dba._check_job_keys(dba.timportconfig, regclass, text[]) FROM PUBLIC;
COMMENT ON FUNCTION dba._check_job_keys(dba.timportconfig, regclass, text[]) IS
'Internal step of the job check: refuses (FD010) a key column that is not among the mapped columns p_mapped, and an upsert job whose target p_rel has no unique index (no predicate, no expression) on exactly its key columns.';
