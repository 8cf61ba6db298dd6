-- Verify feeds:type_dba_load_plan on pg
SELECT 'dba.load_plan'::regtype;
