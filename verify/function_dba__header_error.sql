-- Verify feeds:function_dba__header_error on pg
SELECT 'dba._header_error(dba.timportconfig, text, text[], jsonb, integer, text[])'::regprocedure;
