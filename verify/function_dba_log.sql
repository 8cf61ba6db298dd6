-- Verify feeds:function_dba_log on pg
SELECT has_function_privilege('dba.log(uuid, text, text, text, bigint, text, timestamptz, uuid)', 'execute');
