-- Verify feeds:function_dba__check_map_rules on pg
SELECT 1/count(*) FROM pg_proc WHERE oid = 'dba._check_map_rules(text, text, jsonb)'::regprocedure AND proowner = 'feeds_owner'::regrole;
