-- dba.claim_mail: hand a sender the mails that are due, so no other sender takes them.
CREATE OR REPLACE FUNCTION dba.claim_mail(p_limit integer DEFAULT 10)
RETURNS SETOF dba.temailoutbox
LANGUAGE plpgsql
SECURITY DEFINER
SET search_path = pg_catalog, pg_temp
AS $function$
/*
   From psql (the send_mail shim does this in autocommit, then sends, then confirms):
     SELECT mail_id, recipients, subject FROM dba.claim_mail(5);
     SELECT dba.mark_mail_sent(42);                       -- or:
     SELECT dba.mark_mail_failed(42, 'connection refused');
   Due: pending with next_attempt_at <= now(), or sending with a claim older than 15 minutes
   (a sender that died). Rows another transaction is claiming are skipped, not waited for.
*/
BEGIN
    IF p_limit IS NULL OR p_limit < 1 THEN
        RAISE EXCEPTION 'claim_mail needs a positive limit, not %', coalesce(p_limit::text, 'NULL')
              USING ERRCODE = '22023';
    END IF;
    RETURN QUERY
    UPDATE dba.temailoutbox o
       SET status = 'sending', claimed_at = clock_timestamp()
      FROM (SELECT m.mail_id
              FROM dba.temailoutbox m
             WHERE (m.status = 'pending' AND m.next_attempt_at <= now())
                OR (m.status = 'sending' AND m.claimed_at < now() - interval '15 minutes')
             ORDER BY m.next_attempt_at, m.mail_id
             LIMIT p_limit
               FOR UPDATE SKIP LOCKED) due
     WHERE o.mail_id = due.mail_id
    RETURNING o.*;
END
$function$;

ALTER FUNCTION dba.claim_mail(integer) OWNER TO feeds_owner;
REVOKE ALL ON FUNCTION dba.claim_mail(integer) FROM PUBLIC;
GRANT EXECUTE ON FUNCTION dba.claim_mail(integer) TO feeds_etl;
COMMENT ON FUNCTION dba.claim_mail(integer) IS
'Claims up to p_limit due mails of dba.temailoutbox for one sender (FOR UPDATE SKIP LOCKED): pending ones whose next_attempt_at has come, and sending ones whose claim is older than 15 minutes. Marks them sending with the claim time and returns them. Raises 22023 when p_limit is not positive.';
