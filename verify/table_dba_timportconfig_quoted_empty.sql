-- Verify feeds:table_dba_timportconfig_quoted_empty on pg
SELECT quoted_empty FROM dba.timportconfig WHERE false;
