-- Verify feeds:type_dba_plan_check on pg
SELECT 'dba.plan_check'::regtype;
