-- Deploy feeds:table_dba_temailoutbox to pg
-- requires: table_dba_trun
BEGIN;

CREATE TABLE dba.temailoutbox (
    mail_id         bigint GENERATED ALWAYS AS IDENTITY CONSTRAINT temailoutbox_pkey PRIMARY KEY,
    run_uuid        uuid NOT NULL CONSTRAINT temailoutbox_run_uuid_fkey REFERENCES dba.trun (run_uuid),
    job_name        text,
    recipients      text[] NOT NULL
                    CONSTRAINT temailoutbox_recipients_check
                    CHECK (cardinality(recipients) > 0
                           AND array_position(recipients, NULL) IS NULL
                           AND array_to_string(recipients, ',') !~ '[[:cntrl:][:space:]<>]'),
    subject         text NOT NULL
                    CONSTRAINT temailoutbox_subject_check CHECK (subject !~ '[[:cntrl:]]'),
    body_text       text NOT NULL,
    body_html       text NOT NULL,
    attachment_name text
                    CONSTRAINT temailoutbox_attachment_name_check CHECK (attachment_name ~ '^[A-Za-z0-9._-]+$'),
    attachment_csv  text,
    status          text NOT NULL DEFAULT 'pending'
                    CONSTRAINT temailoutbox_status_check CHECK (status IN ('pending', 'sending', 'sent', 'failed')),
    attempts        integer NOT NULL DEFAULT 0 CONSTRAINT temailoutbox_attempts_check CHECK (attempts >= 0),
    max_attempts    integer NOT NULL DEFAULT 8 CONSTRAINT temailoutbox_max_attempts_check CHECK (max_attempts > 0),
    next_attempt_at timestamptz NOT NULL DEFAULT now(),
    claimed_at      timestamptz,
    last_error      text,
    sent_at         timestamptz,
    delivery_note   text,
    created_at      timestamptz NOT NULL DEFAULT clock_timestamp(),
    CONSTRAINT temailoutbox_attachment_check CHECK ((attachment_name IS NULL) = (attachment_csv IS NULL)),
    CONSTRAINT temailoutbox_sending_claimed_check CHECK (status <> 'sending' OR claimed_at IS NOT NULL),
    CONSTRAINT temailoutbox_sent_at_check CHECK ((status = 'sent') = (sent_at IS NOT NULL))
);

-- One whole-run mail (job_name NULL) and one mail per job and run: queueing twice adds nothing.
CREATE UNIQUE INDEX temailoutbox_run_job_key ON dba.temailoutbox (run_uuid, job_name) NULLS NOT DISTINCT;
-- What dba.claim_mail() scans.
CREATE INDEX temailoutbox_due_idx ON dba.temailoutbox (next_attempt_at, mail_id)
    WHERE status IN ('pending', 'sending');

ALTER TABLE dba.temailoutbox OWNER TO feeds_owner;
GRANT SELECT ON dba.temailoutbox TO feeds_etl, feeds_reader;

COMMENT ON TABLE dba.temailoutbox IS 'Run reports waiting to be sent, being sent, sent or given up on. Written by dba.queue_run_report() in the run''s transaction; the send_mail shim claims (dba.claim_mail), sends and confirms (dba.mark_mail_sent / dba.mark_mail_failed).';
COMMENT ON COLUMN dba.temailoutbox.mail_id IS 'Identifier of the mail; part of its Message-ID, so a retried mail keeps its identity.';
COMMENT ON COLUMN dba.temailoutbox.run_uuid IS 'Run the report is about.';
COMMENT ON COLUMN dba.temailoutbox.job_name IS 'Job whose part of the run this mail reports (its report_recipients get it); NULL for the whole-run mail to the admin addresses.';
COMMENT ON COLUMN dba.temailoutbox.recipients IS 'E-mail addresses the mail goes to (all in To:).';
COMMENT ON COLUMN dba.temailoutbox.subject IS 'Subject line, built by dba.build_run_report(); no control characters.';
COMMENT ON COLUMN dba.temailoutbox.body_text IS 'Plain-text part of the mail.';
COMMENT ON COLUMN dba.temailoutbox.body_html IS 'HTML part of the mail (inline styles only, every data value escaped).';
COMMENT ON COLUMN dba.temailoutbox.attachment_name IS 'File name of the CSV attachment of rejected rows; NULL when there is no attachment.';
COMMENT ON COLUMN dba.temailoutbox.attachment_csv IS 'CSV (RFC 4180, header line, UTF-8) of the rejected rows the mail covers; NULL when none were rejected.';
COMMENT ON COLUMN dba.temailoutbox.status IS 'pending (waiting for next_attempt_at), sending (claimed by a sender at claimed_at), sent, or failed (max_attempts reached).';
COMMENT ON COLUMN dba.temailoutbox.attempts IS 'Failed send attempts so far.';
COMMENT ON COLUMN dba.temailoutbox.max_attempts IS 'After this many failed attempts the mail is failed and no longer retried.';
COMMENT ON COLUMN dba.temailoutbox.next_attempt_at IS 'A pending mail is not claimed before this time (exponential backoff after a failure).';
COMMENT ON COLUMN dba.temailoutbox.claimed_at IS 'When a sender last claimed the mail; a claim older than 15 minutes is considered abandoned.';
COMMENT ON COLUMN dba.temailoutbox.last_error IS 'Error of the last failed attempt, as the sender reported it.';
COMMENT ON COLUMN dba.temailoutbox.sent_at IS 'When the sender confirmed delivery to the SMTP server (or the save directory).';
COMMENT ON COLUMN dba.temailoutbox.delivery_note IS 'How the mail was delivered, e.g. the SMTP server, or the directory it was saved to instead.';
COMMENT ON COLUMN dba.temailoutbox.created_at IS 'When the mail was queued.';

COMMIT;
