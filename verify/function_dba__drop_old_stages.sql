-- Verify feeds:function_dba__drop_old_stages on pg
SELECT 'dba._drop_old_stages(uuid)'::regprocedure;
