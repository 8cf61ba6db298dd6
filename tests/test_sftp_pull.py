"""`feeds sftp pull` against a real OpenSSH sshd on 127.0.0.1."""
import os
import stat
import subprocess
import threading
import time
from pathlib import Path

import pytest

from conftest import ROOT
from sshd import Sshd, keygen
from visitas_data import row, write_report

from shims import db as dbm
from shims import sftp_pull


@pytest.fixture
def server(tmp_path):
    with Sshd(tmp_path) as s:
        yield s


@pytest.fixture
def report_job(admin, workdir):
    """An enabled job that takes report_<n>.txt (what the database says to download), unless one
    is configured already."""
    if admin.execute("SELECT count(*) FROM dba.match_config('report_1.txt')").fetchone()[0]:
        yield None
        return
    admin.execute("CREATE SCHEMA IF NOT EXISTS sftp_pytest")
    admin.execute("CREATE TABLE sftp_pytest.reports (email text, load_id bigint)")
    admin.execute("GRANT USAGE ON SCHEMA sftp_pytest TO feeds_owner")
    admin.execute("GRANT SELECT, INSERT, UPDATE, DELETE ON sftp_pytest.reports TO feeds_owner")
    admin.execute(
        "INSERT INTO dba.timportconfig (job_name, file_pattern, inbox_dir, processing_dir, archive_dir, failed_dir,"
        " target_table, column_map) VALUES ('sftp_reports', '^report_\\d+\\.txt$', %s, %s, %s, %s,"
        " 'sftp_pytest.reports', '[{\"source\": \"email\", \"target\": \"email\"}]')",
        (str(workdir / "in"), str(workdir), str(workdir / "arch"), str(workdir / "fail")))
    yield "sftp_reports"
    admin.execute("DELETE FROM dba.tdataloads WHERE job_name = 'sftp_reports'")
    admin.execute("DELETE FROM dba.timportconfig WHERE job_name = 'sftp_reports'")
    admin.execute("DROP TABLE sftp_pytest.reports")


@pytest.fixture
def env(server, tmp_path, monkeypatch, report_job):
    """FEEDS_SFTP_* for the test server, a private local dir, fast retries, a job for report_<n>.txt."""
    for k in list(os.environ):
        if k.startswith("FEEDS_SFTP_"):
            monkeypatch.delenv(k)
    values = server.env(FEEDS_SFTP_LOCAL_DIR=tmp_path / "local",
                        FEEDS_SFTP_RETRIES=2, FEEDS_SFTP_BACKOFF=0.2, FEEDS_SFTP_TIMEOUT=10)
    for k, v in values.items():
        monkeypatch.setenv(k, v)
    return values


def remote_report(server, name, emails, **kw):
    return write_report(server.remote_dir / name, [row(e) for e in emails], **kw)


def local_names(env):
    d = Path(env["FEEDS_SFTP_LOCAL_DIR"])
    return sorted(p.name for p in d.iterdir() if not p.name.startswith(".")) if d.exists() else []


def test_pull_downloads_matching_files_once(server, env, capsys):
    remote_report(server, "report_1.txt", ["a@example.com"])
    remote_report(server, "report_22.txt", ["b@example.com", "c@example.com"])
    for other in ("report_x.txt", "report_3.txt.bak", "otro_4.txt", ".report_5.txt"):
        (server.remote_dir / other).write_text("not for us\n")
    (server.remote_dir / "report_6.txt").mkdir()  # a directory with a matching name is skipped

    assert sftp_pull.main([]) == 0
    assert local_names(env) == ["report_1.txt", "report_22.txt"]
    local = Path(env["FEEDS_SFTP_LOCAL_DIR"])
    assert (local / "report_22.txt").read_bytes() == (server.remote_dir / "report_22.txt").read_bytes()
    assert stat.S_IMODE((local / "report_1.txt").stat().st_mode) == 0o660
    assert stat.S_IMODE(local.stat().st_mode) == 0o2770
    assert capsys.readouterr().out.split() == [str(local / "report_1.txt"), str(local / "report_22.txt")]

    # Second pull: nothing new, even after the local copies were taken away by the load.
    for p in local.iterdir():
        p.unlink()
    assert sftp_pull.main([]) == 0
    assert local_names(env) == []

    # The server replaces a file (new size and mtime): a new version is downloaded.
    remote_report(server, "report_1.txt", ["a@example.com", "d@example.com"], mtime=time.time() + 60)
    assert sftp_pull.main([]) == 0
    assert local_names(env) == ["report_1.txt"]
    assert b"d@example.com" in (local / "report_1.txt").read_bytes()
    assert (server.remote_dir / "report_1.txt").exists(), "remote files stay without --delete-remote"


def test_unknown_host_key_is_refused_then_accepted_on_request(server, env, capsys):
    remote_report(server, "report_1.txt", ["a@example.com"])
    server.known_hosts.write_text("")
    assert sftp_pull.main([]) == 1
    err = capsys.readouterr().err
    assert "is not in" in err and str(server.known_hosts) in err and "--accept-new-host-key" in err
    assert local_names(env) == []

    assert sftp_pull.main(["--accept-new-host-key"]) == 0
    assert "added the new host key" in capsys.readouterr().err
    assert local_names(env) == ["report_1.txt"]
    assert f"[127.0.0.1]:{server.port} ssh-ed25519" in server.known_hosts.read_text()
    # Now known: a plain pull works without the option.
    assert sftp_pull.main([]) == 0


def test_changed_host_key_is_refused_even_with_accept_new(server, env, tmp_path, capsys):
    remote_report(server, "report_1.txt", ["a@example.com"])
    other = keygen(tmp_path / "other_host_key")
    kind, blob = (tmp_path / "other_host_key.pub").read_text().split()[:2]
    server.known_hosts.write_text(f"[127.0.0.1]:{server.port} {kind} {blob}\n")
    for argv in ([], ["--accept-new-host-key"]):
        assert sftp_pull.main(argv) == 1
        err = capsys.readouterr().err
        assert "HOST KEY CHANGED" in err and "nothing was downloaded" in err
    assert local_names(env) == []
    assert server.known_hosts.read_text().count("\n") == 1, "a changed key is never written"
    assert other.exists()


def test_env_file_must_be_private(server, env, tmp_path, monkeypatch, capsys):
    env_file = tmp_path / "sftp.env"
    monkeypatch.delenv("FEEDS_SFTP_KEY_FILE")
    monkeypatch.delenv("FEEDS_SFTP_USER")
    env_file.write_text(f"# test server\nFEEDS_SFTP_USER={server.user}\nexport FEEDS_SFTP_KEY_FILE='{server.client_key}'\n")
    os.chmod(env_file, 0o644)
    assert sftp_pull.main(["--env-file", str(env_file)]) == 2
    assert "chmod 600" in capsys.readouterr().err
    os.chmod(env_file, 0o600)
    remote_report(server, "report_7.txt", ["a@example.com"])
    assert sftp_pull.main(["--env-file", str(env_file)]) == 0
    assert local_names(env) == ["report_7.txt"]


def test_missing_configuration_is_exit_2(monkeypatch, capsys):
    for k in list(os.environ):
        if k.startswith("FEEDS_SFTP_"):
            monkeypatch.delenv(k)
    assert sftp_pull.main([]) == 2
    assert "FEEDS_SFTP_HOST" in capsys.readouterr().err


def test_wrong_key_is_a_clear_login_failure(server, env, tmp_path, monkeypatch, capsys):
    monkeypatch.setenv("FEEDS_SFTP_KEY_FILE", str(keygen(tmp_path / "stranger")))
    assert sftp_pull.main([]) == 1
    assert "was refused" in capsys.readouterr().err


def test_server_down_is_retried_with_backoff(server, env, monkeypatch, capsys, admin):
    remote_report(server, "report_1.txt", ["a@example.com"])
    server.stop()
    monkeypatch.setenv("FEEDS_SFTP_RETRIES", "1")
    assert sftp_pull.main([]) == 1
    assert "gave up after 1 retries" in capsys.readouterr().err
    assert local_names(env) == []

    # The server comes back while the pull waits between attempts: the pull succeeds.
    monkeypatch.setenv("FEEDS_SFTP_RETRIES", "8")
    monkeypatch.setenv("FEEDS_SFTP_BACKOFF", "0.5")
    t = threading.Timer(1.0, server.start)
    t.start()
    try:
        assert sftp_pull.main([]) == 0
    finally:
        t.join()
    assert local_names(env) == ["report_1.txt"]
    retries = admin.execute("SELECT count(*) FROM dba.tlogentry WHERE process_type = 'sftp_pull'"
                            " AND message LIKE %s AND logged_at > now() - interval '1 minute'",
                            (f"SFTP 127.0.0.1:{server.port}:%retrying in%",)).fetchone()[0]
    assert retries >= 1, "each retry is logged through dba.log"


def test_cli_through_the_feeds_command(server, env):
    remote_report(server, "report_9.txt", ["a@example.com"], newline="\n")
    r = subprocess.run([str(ROOT / "bin" / "feeds"), "sftp", "pull"], capture_output=True, text=True,
                       env={**os.environ, **{k: str(v) for k, v in env.items()}})
    assert r.returncode == 0, r.stderr
    assert r.stdout.strip().endswith("report_9.txt")
    assert "Traceback" not in r.stderr


def test_upload_snippet_is_valid_sshd_config(tmp_path):
    """etc/sshd/feeds-upload.conf (the chrooted client upload account) passes `sshd -t`."""
    key = keygen(tmp_path / "host_key")
    conf = tmp_path / "sshd_config"
    conf.write_text(f"HostKey {key}\nSubsystem sftp internal-sftp\n"
                    + (ROOT / "etc" / "sshd" / "feeds-upload.conf").read_text())
    if os.geteuid() == 0:
        Path("/run/sshd").mkdir(mode=0o755, exist_ok=True)
    r = subprocess.run(["/usr/sbin/sshd", "-t", "-f", str(conf)], capture_output=True, text=True)
    assert r.returncode == 0, r.stderr
    # Bad syntax would be caught: the check is not a no-op.
    conf.write_text(conf.read_text() + "ChrootDirectory\n")
    assert subprocess.run(["/usr/sbin/sshd", "-t", "-f", str(conf)], capture_output=True).returncode != 0


def test_two_pulls_at_once_do_not_both_download(server, env, capsys):
    import fcntl
    remote_report(server, "report_1.txt", ["a@example.com"])
    local = Path(env["FEEDS_SFTP_LOCAL_DIR"])
    local.mkdir(parents=True, exist_ok=True)
    with open(local / ".sftp_pull.lock", "a") as held:
        fcntl.flock(held, fcntl.LOCK_EX)
        assert sftp_pull.main([]) == 1
        assert "another sftp pull holds the lock" in capsys.readouterr().err
        assert local_names(env) == []
    assert sftp_pull.main([]) == 0
    assert local_names(env) == ["report_1.txt"]


def test_the_database_says_what_to_download_and_what_to_delete(server, env, admin, report_job, capsys):
    """Names come from the jobs (no job, no download); downloads are rows of dba.tsftpdownload;
    --delete-remote deletes only what a committed load holds, unchanged on the server."""
    if report_job is None:
        pytest.skip("another job takes report_<n>.txt here")
    for n in (1, 2, 3):
        remote_report(server, f"report_{n}.txt", [f"u{n}@example.com"])
    admin.execute("UPDATE dba.timportconfig SET enabled = false WHERE job_name = %s", (report_job,))
    assert sftp_pull.main([]) == 0 and local_names(env) == [], "no enabled job takes the names"
    admin.execute("UPDATE dba.timportconfig SET enabled = true WHERE job_name = %s", (report_job,))
    assert sftp_pull.main([]) == 0
    assert local_names(env) == ["report_1.txt", "report_2.txt", "report_3.txt"]
    source = f"{server.user}@127.0.0.1:{server.port}{server.remote_dir}"
    rows = admin.execute("SELECT remote_name, sha256, deleted_at FROM dba.tsftpdownload WHERE source = %s"
                         " ORDER BY remote_name", (source,)).fetchall()
    assert [(r[0], r[2]) for r in rows] == [(f"report_{n}.txt", None) for n in (1, 2, 3)]
    sha = {name: digest for name, digest, _ in rows}

    # report_1 loaded, report_2 failed, report_3 loaded but changed on the server since
    for name, status in (("report_1.txt", "loaded"), ("report_2.txt", "failed"), ("report_3.txt", "loaded")):
        admin.execute("INSERT INTO dba.tdataloads (config_id, job_name, file_name, sha256, status)"
                      " SELECT config_id, job_name, %s, %s, %s FROM dba.timportconfig WHERE job_name = %s",
                      (name, sha[name], status, report_job))
    remote_report(server, "report_3.txt", ["new@example.com"], mtime=time.time() + 120)
    db = dbm.Db()
    try:
        assert sftp_pull.delete_remote(sftp_pull.load_config(), db, report_job) == ["report_1.txt"]
    finally:
        db.close()
    assert sorted(p.name for p in server.remote_dir.iterdir()) == ["report_2.txt", "report_3.txt"]
    assert admin.execute("SELECT remote_name FROM dba.tsftpdownload WHERE source = %s AND deleted_at IS NOT NULL",
                         (source,)).fetchall() == [("report_1.txt",)]
    # through the command: it pulls the new report_3 first, then deletes nothing more
    capsys.readouterr()
    assert sftp_pull.main(["--delete-remote"]) == 0
    assert capsys.readouterr().out.split() == [str(Path(env["FEEDS_SFTP_LOCAL_DIR"]) / "report_3.txt")]
    assert sorted(p.name for p in server.remote_dir.iterdir()) == ["report_2.txt", "report_3.txt"]
