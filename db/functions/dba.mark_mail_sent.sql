-- dba.mark_mail_sent: a sender confirms that a claimed mail went out.
CREATE OR REPLACE FUNCTION dba.mark_mail_sent(
    p_mail_id bigint,
    p_note    text DEFAULT NULL
) RETURNS dba.temailoutbox
LANGUAGE plpgsql
SECURITY DEFINER
SET search_path = pg_catalog, pg_temp
AS $function$
/*
   From psql:
     SELECT status, sent_at FROM dba.mark_mail_sent(42, p_note => 'smtp.example.com:465');
*/
DECLARE
    v_mail dba.temailoutbox;
BEGIN
    v_mail := dba._claimed_mail(p_mail_id);
    UPDATE dba.temailoutbox
       SET status = 'sent', sent_at = clock_timestamp(), delivery_note = p_note
     WHERE mail_id = p_mail_id
    RETURNING * INTO v_mail;
    RETURN v_mail;
END
$function$;

ALTER FUNCTION dba.mark_mail_sent(bigint, text) OWNER TO feeds_owner;
REVOKE ALL ON FUNCTION dba.mark_mail_sent(bigint, text) FROM PUBLIC;
GRANT EXECUTE ON FUNCTION dba.mark_mail_sent(bigint, text) TO feeds_etl;
COMMENT ON FUNCTION dba.mark_mail_sent(bigint, text) IS
'Marks a claimed (sending) mail sent, with the time and an optional delivery note, and returns it. Raises FD071 when the mail does not exist, FD072 when it is not being sent (not claimed, or already sent or failed).';
