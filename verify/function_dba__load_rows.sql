-- Verify feeds:function_dba__load_rows on pg
SELECT 'dba._load_rows(bigint, dba.timportconfig, regclass, text, text[])'::regprocedure;
