-- dba._over_reject_limit: are a load's rejects over its job's limit?
CREATE OR REPLACE FUNCTION dba._over_reject_limit(p_cfg dba.timportconfig, p_rejected bigint, p_read bigint)
RETURNS boolean
LANGUAGE sql
IMMUTABLE
SET search_path = pg_catalog, pg_temp
AS $function$
/*
   Internal; both ways ask it once they know the rejects (dba._process_load, dba._load_fast_way):
     SELECT dba._over_reject_limit(c, 30, 100) FROM dba.timportconfig c WHERE …;
   True when max_rejects or max_reject_ratio is set and the rejected lines exceed it; such a
   file loads nothing (FD030).
*/
SELECT coalesce(p_rejected > p_cfg.max_rejects, false)
    OR coalesce(p_read > 0 AND p_rejected::numeric / p_read > p_cfg.max_reject_ratio, false)
$function$;

ALTER FUNCTION dba._over_reject_limit(dba.timportconfig, bigint, bigint) OWNER TO feeds_owner;
REVOKE ALL ON FUNCTION dba._over_reject_limit(dba.timportconfig, bigint, bigint) FROM PUBLIC;
COMMENT ON FUNCTION dba._over_reject_limit(dba.timportconfig, bigint, bigint) IS
'Internal: true when a load''s rejected lines exceed its job''s max_rejects or max_reject_ratio. Never raises.';
