-- Verify feeds:function_dba__map_vocabulary on pg
SELECT 'dba._map_vocabulary(text)'::regprocedure;
