-- Verify feeds:table_dba_timportconfig_resend_policy on pg
SELECT resend_policy FROM dba.timportconfig WHERE false;
