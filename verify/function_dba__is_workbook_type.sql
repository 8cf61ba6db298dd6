-- Verify feeds:function_dba__is_workbook_type on pg
DO $$
BEGIN
    ASSERT dba._is_workbook_type('ods') AND dba._is_workbook_type('xlsb') AND NOT dba._is_workbook_type('csv'),
           'dba._is_workbook_type does not list the workbook types';
END
$$;
