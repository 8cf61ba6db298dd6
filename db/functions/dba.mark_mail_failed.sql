-- dba.mark_mail_failed: a sender records a failed attempt; the mail is retried later, with backoff.
CREATE OR REPLACE FUNCTION dba.mark_mail_failed(
    p_mail_id bigint,
    p_error   text
) RETURNS dba.temailoutbox
LANGUAGE plpgsql
SECURITY DEFINER
SET search_path = pg_catalog, pg_temp
AS $function$
/*
   From psql:
     SELECT status, attempts, next_attempt_at FROM dba.mark_mail_failed(42, 'connection refused');
   Attempt n waits 2^(n-1) minutes (1, 2, 4, … capped at 6 hours) before the mail is due again;
   after max_attempts failures the mail is failed for good.
*/
DECLARE
    v_mail dba.temailoutbox;
BEGIN
    IF p_error IS NULL OR btrim(p_error) = '' THEN
        RAISE EXCEPTION 'mark_mail_failed needs the error text'
              USING ERRCODE = '22004';
    END IF;
    v_mail := dba._claimed_mail(p_mail_id);
    UPDATE dba.temailoutbox
       SET attempts = attempts + 1,
           last_error = left(p_error, 4000),
           status = CASE WHEN attempts + 1 >= max_attempts THEN 'failed' ELSE 'pending' END,
           next_attempt_at = clock_timestamp()
                             + least(interval '6 hours', interval '1 minute' * power(2, attempts)),
           claimed_at = NULL
     WHERE mail_id = p_mail_id
    RETURNING * INTO v_mail;
    RETURN v_mail;
END
$function$;

ALTER FUNCTION dba.mark_mail_failed(bigint, text) OWNER TO feeds_owner;
REVOKE ALL ON FUNCTION dba.mark_mail_failed(bigint, text) FROM PUBLIC;
GRANT EXECUTE ON FUNCTION dba.mark_mail_failed(bigint, text) TO feeds_etl;
COMMENT ON FUNCTION dba.mark_mail_failed(bigint, text) IS
'Records a failed send attempt of a claimed mail: attempts + 1, the error text, and status pending again with next_attempt_at 2^(attempts-1) minutes later (capped at 6 hours), or failed once max_attempts is reached. Returns the mail. Raises 22004 without an error text, FD071 when the mail does not exist, FD072 when it is not being sent.';
