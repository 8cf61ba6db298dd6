-- Deploy feeds:function_dba_draft_sample_ranges to pg
-- Generated from db/functions/dba.draft_sample_ranges.sql by bin/sync-functions: edit that file, not this one.
BEGIN;

-- dba.draft_sample_ranges: which bytes of a file dba.draft_job() reads as its sample.
CREATE OR REPLACE FUNCTION dba.draft_sample_ranges(p_file_size bigint)
RETURNS TABLE (byte_offset bigint, byte_count bigint)
LANGUAGE sql
IMMUTABLE PARALLEL SAFE
SET search_path = pg_catalog, pg_temp
AS $function$
/*
   SELECT * FROM dba.draft_sample_ranges(5000000);
   A file up to 192 KiB is read whole. A larger one: its first 128 KiB, then 8 pieces of 8 KiB
   spread evenly over the rest (each piece's partial first and last lines are dropped). `feeds
   job draft` reads these ranges and passes them to dba.draft_job_from_sample() in this order.
*/
SELECT 0::bigint, greatest(p_file_size, 0) WHERE coalesce(p_file_size, 0) <= 196608
UNION ALL
(SELECT o, c FROM (SELECT 0::bigint, 131072::bigint
                   UNION ALL
                   SELECT 131072 + (i * 2 - 1) * (p_file_size - 131072 - 8192) / 16, 8192::bigint
                     FROM generate_series(1, 8) i) r(o, c)
  WHERE p_file_size > 196608 ORDER BY o)
$function$;

ALTER FUNCTION dba.draft_sample_ranges(bigint) OWNER TO feeds_owner;
REVOKE ALL ON FUNCTION dba.draft_sample_ranges(bigint) FROM PUBLIC;
GRANT EXECUTE ON FUNCTION dba.draft_sample_ranges(bigint) TO feeds_etl;
COMMENT ON FUNCTION dba.draft_sample_ranges(bigint) IS
'The byte ranges (offset, count) of a file of this size that make a draft''s sample: the whole file up to 192 KiB, else the first 128 KiB and 8 pieces of 8 KiB spread over the rest. Raises nothing.';

COMMIT;
