"""`feeds mail send` against a real SMTP server on 127.0.0.1 (aiosmtpd, TLS with a test CA, AUTH).

Each test queues its own run report through dba.queue_run_report() and runs the shim as cron
would: `bin/feeds mail send` as feeds_etl, configured through a mode-0600 env file.
"""
import os
import re
import stat
import subprocess
import uuid

import psycopg
import pytest
from psycopg import sql

from conftest import ROOT
from smtp_server import PASSWORD, USER, SmtpServer, free_port, make_ca, make_server_cert

# aiosmtpd warns when AUTH does not demand STARTTLS; on the implicit-TLS port the whole
# connection is TLS from the first byte, so the warning does not apply.
pytestmark = pytest.mark.filterwarnings("ignore:Requiring AUTH while not requiring TLS:UserWarning")


@pytest.fixture(scope="module")
def pki(tmp_path_factory):
    d = tmp_path_factory.mktemp("pki")
    good_ca = make_ca(d, "feeds-test-ca")
    other_ca = make_ca(d, "someone-else-ca")
    good = make_server_cert(d, "smtp-good", good_ca)
    wrong = make_server_cert(d, "smtp-wrong", other_ca)
    return {"ca": d / "feeds-test-ca.pem", "good": good, "wrong": wrong}


@pytest.fixture
def outbox(admin, etl, workdir):
    """Queues reports of fresh runs; the mails it made are retired at the end of the test."""
    runs = []

    def queue(jobs=1, admin_to=("admin@example.com",), rejects=True):
        tag = uuid.uuid4().hex[:8]
        schema = f"mailtest_{tag}"
        ident, target = sql.Identifier(schema), sql.Identifier(schema, "target")
        admin.execute(sql.SQL("CREATE SCHEMA {}").format(ident))
        admin.execute(sql.SQL("CREATE TABLE {} (load_id bigint, email text)").format(target))
        admin.execute(sql.SQL("GRANT USAGE ON SCHEMA {} TO feeds_owner").format(ident))
        admin.execute(sql.SQL("GRANT SELECT, INSERT, UPDATE, DELETE ON {} TO feeds_owner").format(target))
        run = admin.execute("INSERT INTO dba.trun (process_type) VALUES ('pytest') RETURNING run_uuid").fetchone()[0]
        names = []
        for n in range(jobs):
            job = f"mt_{tag}_{n}"
            names.append(job)
            d = str(workdir)
            cfg = admin.execute(
                "INSERT INTO dba.timportconfig (job_name, file_pattern, inbox_dir, processing_dir, archive_dir,"
                " failed_dir, target_table, column_map, report_recipients)"
                " VALUES (%s, %s, %s, %s, %s, %s, %s, '[{\"source\": \"email\", \"target\": \"email\"}]', %s)"
                " RETURNING config_id",
                (job, f"^{job}_.*\\.csv$", d, d, d, d, f"{schema}.target", [f"client{n}@c{n}-{tag}.example"])).fetchone()[0]
            load = admin.execute(
                "INSERT INTO dba.tdataloads (run_uuid, config_id, job_name, file_name, status, rows_read,"
                " rows_inserted, rows_rejected, finished_at)"
                " VALUES (%s, %s, %s, %s, %s, 3, %s, %s, clock_timestamp()) RETURNING load_id",
                (run, cfg, job, f"{job}_1.csv", "loaded_with_rejects" if rejects else "loaded",
                 2 if rejects else 3, 1 if rejects else 0)).fetchone()[0]
            if rejects:
                admin.execute(
                    "INSERT INTO dba.tloaderror (load_id, line_no, column_name, raw_value, rule, message, raw_line)"
                    " VALUES (%s, 3, 'email', 'nobody', 'email', 'not an e-mail address', 'nobody,\"x\"')", (load,))
        runs.append(run)
        mails = etl.execute("SELECT mail_id, job_name, recipients, subject FROM dba.queue_run_report(%s, %s)",
                            (run, list(admin_to))).fetchall()
        return {"run": run, "jobs": names, "mails": mails}

    yield queue
    for run in runs:
        admin.execute("UPDATE dba.temailoutbox SET status = 'failed', attempts = max_attempts"
                      " WHERE run_uuid = %s AND status <> 'sent'", (run,))


def env_file(path, **settings):
    path.write_text("".join(f"{k}={v}\n" for k, v in settings.items()))
    path.chmod(0o600)
    return path


@pytest.fixture
def smtp_env(pki, workdir):
    """Environment of the shim: feeds_etl, and an env file for the server on `port`."""
    def make(port, security="tls", password=PASSWORD, cafile=None):
        f = env_file(workdir / f"smtp-{uuid.uuid4().hex[:6]}.env",
                     FEEDS_SMTP_HOST="127.0.0.1", FEEDS_SMTP_PORT=port, FEEDS_SMTP_SECURITY=security,
                     FEEDS_SMTP_USER=USER, FEEDS_SMTP_PASSWORD=password, FEEDS_SMTP_FROM="feeds@example.com",
                     FEEDS_SMTP_CAFILE=cafile or pki["ca"], FEEDS_SMTP_TIMEOUT=10)
        env = {k: v for k, v in os.environ.items() if not k.startswith("FEEDS_SMTP_")}
        env.update(PGUSER="feeds_etl", FEEDS_SMTP_ENV_FILE=str(f), FEEDS_DB_RETRIES="0")
        return env
    return make


def send(env, *args):
    return subprocess.run([str(ROOT / "bin" / "feeds"), "mail", "send", *args], env=env,
                          capture_output=True, text=True, timeout=120)


def status(admin, mail_id):
    return admin.execute("SELECT status, attempts, last_error, delivery_note FROM dba.temailoutbox"
                         " WHERE mail_id = %s", (mail_id,)).fetchone()


def received(server, subject):
    # A long Subject is folded onto the next line; the folding white space is not part of it.
    return [m for m in server.messages if m["message"]["Subject"].strip() == subject]


def test_report_arrives_once_with_recipients_parts_and_attachment(pki, outbox, smtp_env, admin):
    q = outbox(jobs=1)
    admin_mail = next(m for m in q["mails"] if m[1] is None)
    job_mail = next(m for m in q["mails"] if m[1] is not None)
    with SmtpServer(*pki["good"], security="tls") as srv:
        r = send(smtp_env(srv.port))
        assert r.returncode == 0, r.stderr
        r2 = send(smtp_env(srv.port))          # a second run finds nothing left to send
        assert r2.returncode == 0, r2.stderr
    for mail_id, job, recipients, subject in (admin_mail, job_mail):
        got = received(srv, subject)
        assert len(got) == 1, f"{subject!r} arrived {len(got)} times"
        m = got[0]
        assert m["rcpt_tos"] == recipients and m["message"]["To"] == ", ".join(recipients)
        assert m["mail_from"] == "feeds@example.com" and m["login"] == USER.encode() and m["tls"]
        msg = m["message"]
        assert msg.get_content_type() == "multipart/mixed"
        assert msg.get_payload()[0].get_content_type() == "multipart/alternative"
        text = msg.get_body(("plain",)).get_content()
        html = msg.get_body(("html",)).get_content()
        body_text, body_html = admin.execute("SELECT body_text, body_html FROM dba.temailoutbox WHERE mail_id = %s",
                                             (mail_id,)).fetchone()
        assert text.replace("\r\n", "\n").strip() == body_text.strip()
        assert html.strip() == body_html.strip()
        attachments = list(msg.iter_attachments())
        assert [a.get_filename() for a in attachments] == [f"rejected_rows_{'' if job is None else job + '_'}"
                                                            + admin.execute("SELECT to_char(current_date, 'YYYYMMDD')").fetchone()[0] + ".csv"]
        csv = attachments[0].get_content()
        csv = csv.decode() if isinstance(csv, bytes) else csv
        assert "nobody,\"\"x\"\"" in csv and csv.startswith("job,file,load_id,line_no")
        st = status(admin, mail_id)
        assert st[0] == "sent" and st[1] == 0 and f"127.0.0.1:{srv.port}" in st[3]
    # the client of the job got only its own job's report
    assert q["jobs"][0] in job_mail[3]


def test_starttls_on_587_style_port(pki, outbox, smtp_env, admin):
    q = outbox(jobs=1, rejects=False)
    with SmtpServer(*pki["good"], security="starttls") as srv:
        r = send(smtp_env(srv.port, security="starttls"))
    assert r.returncode == 0, r.stderr
    for mail_id, _, _, subject in q["mails"]:
        got = received(srv, subject)
        assert len(got) == 1 and got[0]["tls"] and got[0]["login"] == USER.encode()
        assert not list(got[0]["message"].iter_attachments())
        assert status(admin, mail_id)[0] == "sent"


def test_two_senders_at_once_send_each_mail_once(pki, outbox, smtp_env, admin):
    q = outbox(jobs=9)                          # 10 mails: the admin's and one per job
    assert len(q["mails"]) == 10
    with SmtpServer(*pki["good"], security="tls", delay=0.2) as srv:
        env = smtp_env(srv.port)
        procs = [subprocess.Popen([str(ROOT / "bin" / "feeds"), "mail", "send"], env=env,
                                  stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True) for _ in range(2)]
        outs = [p.communicate(timeout=120) for p in procs]
    assert [p.returncode for p in procs] == [0, 0], outs
    # Both took part (each claims one mail at a time), and together they sent each mail once.
    counts = [int(re.search(r"(\d+) sent", out).group(1)) for out, _ in outs]
    assert sum(counts) >= 10 and min(counts) >= 1, outs
    for mail_id, _, _, subject in q["mails"]:
        assert len(received(srv, subject)) == 1, subject
        assert status(admin, mail_id)[0] == "sent"


def test_claims_skip_rows_another_sender_holds(outbox, dsn, admin):
    q = outbox(jobs=2)
    ids = sorted(m[0] for m in q["mails"])
    with psycopg.connect(dsn + " user=feeds_etl") as a, \
            psycopg.connect(dsn + " user=feeds_etl", autocommit=True) as b:
        a.execute("SET lock_timeout = '5s'")
        # Sender A claims one mail and has not committed yet: its row stays locked.
        held = a.execute("SELECT mail_id FROM dba.claim_mail(1) WHERE mail_id = ANY(%s)", (ids,)).fetchall()
        b.execute("SET lock_timeout = '1s'")
        got = [r[0] for r in b.execute("SELECT mail_id FROM dba.claim_mail(50)").fetchall()]
        a.rollback()
    # Give back what B claimed of other tests' mail.
    admin.execute("UPDATE dba.temailoutbox SET status = 'pending', claimed_at = NULL"
                  " WHERE mail_id = ANY(%s) AND NOT mail_id = ANY(%s)", (got, ids))
    assert len(held) == 1
    assert held[0][0] not in got, "B took a row that A holds"
    assert set(ids) - {held[0][0]} <= set(got), "B skipped rows nobody held"
    assert status(admin, held[0][0])[0] == "pending", "A's claim was rolled back, the mail is pending again"


def test_wrong_certificate_is_refused_and_mail_stays_pending(pki, outbox, smtp_env, admin):
    q = outbox(jobs=1, rejects=False)
    with SmtpServer(*pki["wrong"], security="tls") as srv:
        r = send(smtp_env(srv.port))
    assert r.returncode == 1
    assert "Traceback" not in r.stderr
    assert srv.messages == []
    states = [status(admin, m[0]) for m in q["mails"]]
    assert all(st == "pending" for st, *_ in states)
    # The first mail claimed records the refusal; the sender stops there, the rest waits untouched.
    assert [(a, "CERTIFICATE_VERIFY_FAILED" in e) for _, a, e, _ in states if a] == [(1, True)]


def test_server_down_leaves_mail_pending_then_it_goes_out(pki, outbox, smtp_env, admin):
    q = outbox(jobs=1)
    port = free_port()                          # nothing listens here yet
    r = send(smtp_env(port))
    assert r.returncode == 1 and "Traceback" not in r.stderr
    states = [status(admin, m[0]) for m in q["mails"]]
    assert all(st == "pending" for st, *_ in states)
    assert [(a, "refused" in e.lower()) for _, a, e, _ in states if a] == [(1, True)]
    # The backoff wait has passed (1 minute after the first failure) and the server is back.
    admin.execute("UPDATE dba.temailoutbox SET next_attempt_at = now() WHERE run_uuid = %s", (q["run"],))
    with SmtpServer(*pki["good"], security="tls", port=port) as srv:
        r = send(smtp_env(port))
    assert r.returncode == 0, r.stderr
    for mail_id, _, _, subject in q["mails"]:
        assert len(received(srv, subject)) == 1
        assert status(admin, mail_id)[0] == "sent"


def test_wrong_password_is_recorded_but_never_shown(pki, outbox, smtp_env, admin):
    q = outbox(jobs=1, rejects=False)
    wrong = "Wrong-Pa55-" + uuid.uuid4().hex
    with SmtpServer(*pki["good"], security="tls") as srv:
        r = send(smtp_env(srv.port, password=wrong))
    assert r.returncode == 1 and srv.messages == []
    errors = [e for _, a, e, _ in (status(admin, m[0]) for m in q["mails"]) if a]
    assert len(errors) == 1 and "SMTPAuthenticationError" in errors[0]
    logged = admin.execute("SELECT string_agg(message, ' ') FROM dba.tlogentry WHERE process_type = 'send_mail'"
                           ).fetchone()[0] or ""
    for secret in (wrong, PASSWORD):
        assert secret not in r.stdout + r.stderr and secret not in " ".join(errors) and secret not in logged


def test_missing_configuration_is_a_clear_error(workdir):
    env = {k: v for k, v in os.environ.items() if not k.startswith("FEEDS_SMTP_")}
    r = send(env)
    assert r.returncode == 2 and "FEEDS_SMTP_HOST" in r.stderr and "Traceback" not in r.stderr
    env_ = dict(env, FEEDS_SMTP_HOST="127.0.0.1")
    r = send(env_)
    assert r.returncode == 2 and "FEEDS_SMTP_FROM" in r.stderr and "Traceback" not in r.stderr
    r = send(dict(env_, FEEDS_SMTP_FROM="feeds@example.com", FEEDS_SMTP_SECURITY="ssl3"))
    assert r.returncode == 2 and "tls" in r.stderr and "Traceback" not in r.stderr


def test_env_file_readable_by_others_is_refused(workdir):
    f = env_file(workdir / "loose.env", FEEDS_SMTP_HOST="127.0.0.1", FEEDS_SMTP_PASSWORD="x")
    f.chmod(0o644)
    env = {k: v for k, v in os.environ.items() if not k.startswith("FEEDS_SMTP_")}
    r = send(dict(env, FEEDS_SMTP_ENV_FILE=str(f)))
    assert r.returncode == 2 and "chmod 600" in r.stderr and "Traceback" not in r.stderr


def test_mail_send_run_alone_under_umask_022_makes_0660_files_in_a_2770_directory(outbox, workdir):
    """Issue 11: `feeds mail send` started by itself (not by feeds run) from a shell whose umask
    is 022 creates its directory 2770 and its files 0660, group etl_group (fsutil.group_modes)."""
    from shims import fsutil
    q = outbox(jobs=1)
    out = workdir / "alone" / "mail-out"
    env = {k: v for k, v in os.environ.items() if not k.startswith("FEEDS_SMTP_")}
    r = subprocess.run(["sh", "-c", 'umask 022 && exec "$0" mail send --save-dir "$1"', str(ROOT / "bin" / "feeds"),
                        str(out)], env=dict(env, PGUSER="feeds_etl"), capture_output=True, text=True, timeout=120)
    assert r.returncode == 0, r.stderr
    gid = fsutil.group_id()
    group = gid if gid is not None and (os.geteuid() == 0 or gid in os.getgroups()) else os.getegid()
    made = [out.parent, out, *sorted(out.iterdir())]
    assert len(made) >= 2 + 3 * len(q["mails"])  # text, html and the rejected rows of each mail
    assert [(p.name, oct(stat.S_IMODE(p.stat().st_mode)), p.stat().st_gid) for p in made] == \
        [(p.name, oct(0o2770 if p.is_dir() else 0o660), group) for p in made]


def test_save_dir_without_smtp_host_writes_files_and_marks_sent(outbox, admin, workdir):
    q = outbox(jobs=1)
    out = workdir / "mail-out"
    env = {k: v for k, v in os.environ.items() if not k.startswith("FEEDS_SMTP_")}
    r = send(dict(env, PGUSER="feeds_etl"), "--save-dir", str(out))
    assert r.returncode == 0, r.stderr
    for mail_id, job, _, subject in q["mails"]:
        assert subject in (out / f"{mail_id}.txt").read_text()
        assert (out / f"{mail_id}.html").read_text().startswith("<!DOCTYPE html>")
        assert list(out.glob(f"{mail_id}-rejected_rows_*.csv"))
        st, _, _, note = status(admin, mail_id)
        assert st == "sent" and "saved to" in note and "not sent" in note
