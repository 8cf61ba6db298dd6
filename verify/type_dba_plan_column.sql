-- Verify feeds:type_dba_plan_column on pg
SELECT 'dba.plan_column'::regtype;
