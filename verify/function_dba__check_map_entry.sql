-- Verify feeds:function_dba__check_map_entry on pg
SELECT 1/count(*) FROM pg_proc WHERE oid = 'dba._check_map_entry(text, regclass, jsonb, integer, text[])'::regprocedure AND proowner = 'feeds_owner'::regrole;
