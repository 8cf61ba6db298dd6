"""Outside services down, then back: the SMTP server refuses while `feeds run` reports; the report
waits in dba.temailoutbox and goes out, once, with the next run."""
from __future__ import annotations

import os
import subprocess

import pytest

from reliability.conftest import FEEDS, check_job
from smtp_server import SmtpServer, free_port
from test_send_mail import pki, smtp_env  # noqa: F401  (fixtures: a test CA, the mailer's env file)

pytestmark = pytest.mark.filterwarnings("ignore:Requiring AUTH while not requiring TLS:UserWarning")


@pytest.mark.timeout(180)
def test_smtp_server_down_then_back(shim_env, rjob, etl, admin, pki, smtp_env, ledger):  # noqa: F811
    job = rjob()
    (job["inbox"] / f"{job['job']}_1.csv").write_bytes(b"id,name,email\r\n1,a,a@example.com\r\n")
    port = free_port()  # nothing listens here yet
    env = dict(smtp_env(port), FEEDS_REPORT_TO="admin@example.com", FEEDS_STATE_DIR=os.environ["FEEDS_STATE_DIR"],
               FEEDS_LOG_DIR=os.environ["FEEDS_LOG_DIR"])
    first = subprocess.run([FEEDS, "run", "--settle", "0.2"], capture_output=True, text=True, env=env, timeout=120)
    assert first.returncode == 0 and "pending mail goes out on the next run" in first.stderr, first.stderr
    [(run1,)] = etl.execute("SELECT DISTINCT run_uuid FROM dba.tdataloads WHERE job_name = %s", (job["job"],)).fetchall()
    [(mail1, status, attempts, subject1)] = admin.execute(
        "SELECT mail_id, status, attempts, subject FROM dba.temailoutbox WHERE run_uuid = %s", (run1,)).fetchall()
    assert (status, attempts) == ("pending", 1)
    admin.execute("UPDATE dba.temailoutbox SET next_attempt_at = now() WHERE mail_id = %s", (mail1,))  # backoff over
    with SmtpServer(*pki["good"], security="tls", port=port) as srv:
        second = subprocess.run([FEEDS, "run", "--settle", "0.2"], capture_output=True, text=True, env=env, timeout=120)
    assert second.returncode == 0, second.stderr
    assert admin.execute("SELECT status FROM dba.temailoutbox WHERE mail_id = %s", (mail1,)).fetchone()[0] == "sent"
    assert [m["message"]["Subject"].strip() for m in srv.messages].count(subject1) == 1
    ledger.faults.add("SMTP server down, then back")
    check_job(etl, job, ledger, [(1, "a", "a@example.com")], files=1)


@pytest.mark.timeout(180)
def test_sftp_server_down_then_back(shim_env, rjob, etl, tmp_path, ledger, monkeypatch):
    """The pull fails while the server is down and the run goes on with the files already here;
    with the server back, the next run downloads what the first one could not, and it loads."""
    from sshd import Sshd
    job = rjob()
    (job["inbox"] / f"{job['job']}_local.csv").write_bytes(b"id,name,email\r\n1,a,a@example.com\r\n")
    remote = f"{job['job']}_remote.csv"  # the pull takes the names an enabled job takes
    with Sshd(tmp_path / "sshd") as server:
        (server.remote_dir / remote).write_bytes(b"id,name,email\r\n2,b,b@example.com\r\n")
        local = tmp_path / "pulled"
        env = {k: v for k, v in os.environ.items() if not k.startswith("FEEDS_SFTP_")}
        env.update({k: str(v) for k, v in server.env(
            FEEDS_SFTP_LOCAL_DIR=local, FEEDS_SFTP_RETRIES=1, FEEDS_SFTP_BACKOFF=0.1, FEEDS_SFTP_TIMEOUT=5).items()})
        server.stop()
        first = subprocess.run([FEEDS, "run", "--settle", "0.2"], capture_output=True, text=True, env=env, timeout=120)
        assert first.returncode == 1 and "sftp_pull" in first.stderr, first.stderr
        check_job(etl, job, ledger, [(1, "a", "a@example.com")], files=1)  # the run went on
        assert not local.exists() or not [p for p in local.iterdir() if not p.name.startswith(".")]  # the pull's own lock
        server.start()
        second = subprocess.run([FEEDS, "run", "--settle", "0.2"], capture_output=True, text=True, env=env, timeout=120)
    assert second.returncode == 0, second.stderr
    assert "pull sftp_pull failed" not in second.stderr and "sftp_pull exited" not in second.stderr, second.stderr
    assert etl.execute("SELECT status FROM dba.tdataloads WHERE job_name = %s AND file_name = %s",
                       (job["job"], remote)).fetchall() == [("loaded",)], second.stderr
    ledger.faults.add("SFTP server down, then back")
