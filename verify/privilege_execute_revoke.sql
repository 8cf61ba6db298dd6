-- Verify feeds:privilege_execute_revoke on pg
-- A default ACL for functions exists for feeds_owner and does not include PUBLIC.
SELECT 1/count(*)
  FROM pg_default_acl d
 WHERE d.defaclobjtype = 'f'
   AND d.defaclrole = 'feeds_owner'::regrole
   AND NOT EXISTS (SELECT 1 FROM aclexplode(d.defaclacl) a WHERE a.grantee = 0);
