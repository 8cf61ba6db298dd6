-- dba._claimed_mail: lock a mail that a sender claimed, or say why it cannot be marked.
CREATE OR REPLACE FUNCTION dba._claimed_mail(p_mail_id bigint)
RETURNS dba.temailoutbox
LANGUAGE plpgsql
SET search_path = pg_catalog, pg_temp
AS $function$
/*
   Internal; shared by dba.mark_mail_sent() and dba.mark_mail_failed():
     v_mail := dba._claimed_mail(42);   -- the row, locked FOR UPDATE
   Raises FD071 (no such mail), FD072 (not being sent: not claimed, or already sent or failed).
*/
DECLARE
    v_mail dba.temailoutbox;
BEGIN
    SELECT * INTO v_mail FROM dba.temailoutbox WHERE mail_id = p_mail_id FOR UPDATE;
    IF NOT FOUND THEN
        RAISE EXCEPTION 'mail % does not exist', p_mail_id
              USING ERRCODE = 'FD071', HINT = 'Mails are listed in dba.temailoutbox.';
    END IF;
    IF v_mail.status <> 'sending' THEN
        RAISE EXCEPTION 'mail % is %, not being sent', p_mail_id, v_mail.status
              USING ERRCODE = 'FD072', HINT = 'Only a mail claimed with dba.claim_mail() can be marked.';
    END IF;
    RETURN v_mail;
END
$function$;

ALTER FUNCTION dba._claimed_mail(bigint) OWNER TO feeds_owner;
REVOKE ALL ON FUNCTION dba._claimed_mail(bigint) FROM PUBLIC;
COMMENT ON FUNCTION dba._claimed_mail(bigint) IS
'Internal: returns a claimed (sending) mail locked FOR UPDATE. Raises FD071 (no such mail), FD072 (not being sent).';
