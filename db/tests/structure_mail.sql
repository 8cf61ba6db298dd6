-- Structure and privileges of the report outbox and its functions.
BEGIN;
SELECT plan(25);

SELECT has_table('dba', 'temailoutbox', 'dba.temailoutbox exists');
SELECT table_owner_is('dba', 'temailoutbox', 'feeds_owner', 'dba.temailoutbox is owned by feeds_owner');
SELECT columns_are('dba', 'temailoutbox', ARRAY['mail_id', 'run_uuid', 'job_name', 'recipients', 'subject',
       'body_text', 'body_html', 'attachment_name', 'attachment_csv', 'status', 'attempts', 'max_attempts',
       'next_attempt_at', 'claimed_at', 'last_error', 'sent_at', 'delivery_note', 'created_at']);
SELECT col_is_pk('dba', 'temailoutbox', 'mail_id', 'mail_id is the primary key');
SELECT has_index('dba', 'temailoutbox', 'temailoutbox_run_job_key', 'one mail per run and job');
SELECT has_index('dba', 'temailoutbox', 'temailoutbox_due_idx', 'due mail is indexed');
SELECT table_privs_are('dba', 'temailoutbox', 'feeds_reader', ARRAY['SELECT'], 'feeds_reader may read the outbox');
SELECT table_privs_are('dba', 'temailoutbox', 'feeds_etl', ARRAY['SELECT'],
                       'feeds_etl reads the outbox and changes it only through the functions');

SELECT is_definer('dba', f, a, 'dba.' || f || ' is SECURITY DEFINER')
  FROM (VALUES ('build_run_report', ARRAY['uuid', 'text']), ('queue_run_report', ARRAY['uuid', 'text[]']),
               ('claim_mail', ARRAY['integer']), ('mark_mail_sent', ARRAY['bigint', 'text']),
               ('mark_mail_failed', ARRAY['bigint', 'text'])) v(f, a);
SELECT function_privs_are('dba', f, a, 'feeds_etl', ARRAY['EXECUTE'], 'feeds_etl may call dba.' || f)
  FROM (VALUES ('build_run_report', ARRAY['uuid', 'text']), ('queue_run_report', ARRAY['uuid', 'text[]']),
               ('claim_mail', ARRAY['integer']), ('mark_mail_sent', ARRAY['bigint', 'text']),
               ('mark_mail_failed', ARRAY['bigint', 'text'])) v(f, a);
SELECT function_privs_are('dba', 'build_run_report', ARRAY['uuid', 'text'], 'feeds_reader', ARRAY['EXECUTE'],
                          'feeds_reader may build reports');
SELECT function_privs_are('dba', f, a, 'feeds_reader', ARRAY[]::text[], 'feeds_reader may not call dba.' || f)
  FROM (VALUES ('queue_run_report', ARRAY['uuid', 'text[]']), ('claim_mail', ARRAY['integer']),
               ('mark_mail_sent', ARRAY['bigint', 'text']), ('mark_mail_failed', ARRAY['bigint', 'text'])) v(f, a);
SELECT ok(obj_description('dba.queue_run_report(uuid, text[])'::regprocedure, 'pg_proc') ~ 'FD070',
          'the comment of queue_run_report names FD070');
SELECT ok(obj_description('dba.mark_mail_failed(bigint, text)'::regprocedure, 'pg_proc') ~ 'FD071.*FD072',
          'the comment of mark_mail_failed names FD071 and FD072');

SELECT * FROM finish();
ROLLBACK;
