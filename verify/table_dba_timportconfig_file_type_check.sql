-- Verify feeds:table_dba_timportconfig_file_type_check on pg
DO $$
BEGIN
    ASSERT (SELECT pg_get_constraintdef(oid) LIKE '%_is_workbook_type%'
              FROM pg_constraint WHERE conname = 'timportconfig_file_type_check'),
           'timportconfig_file_type_check does not use dba._is_workbook_type';
END
$$;
