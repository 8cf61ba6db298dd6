"""`feeds install` and `feeds uninstall` for real, as root: a temporary root prefix, the throwaway
cluster, test-unique user/group/database names (removed at the end). What a person would check
after installing: the account and groups, the modes, .pgpass, scram in pg_hba.conf, TLS
(sslmode=require connects, a password over plain TCP is refused), Sqitch verified, the schedule
running as etl_user; a second run changes nothing; uninstall keeps the data unless asked twice."""
import grp
import os
import pwd
import stat
import subprocess
from pathlib import Path

import psycopg
import pytest


pytestmark = pytest.mark.skipif(os.geteuid() != 0, reason="feeds install creates OS users and groups: needs root")


def mode(p: Path) -> int:
    return stat.S_IMODE(p.stat().st_mode)


def owner(p: Path) -> tuple[str, str]:
    st = p.stat()
    return pwd.getpwuid(st.st_uid).pw_name, grp.getgrgid(st.st_gid).gr_name


@pytest.fixture
def inst(installation):
    return installation


def test_dry_run_prints_every_step_and_changes_nothing(inst):
    lines = inst.dry.stdout.splitlines()
    for step in ("group", "account", "directories", "application", "database", "sqitch", "pg_hba.conf", "cron"):
        assert any(line.startswith(f"[{step}] would ") for line in lines), (step, inst.dry.stdout)
    # Run before the real install: nothing of it existed afterwards (the real run then created it).
    assert f"[account] created user {inst.user}" in inst.first.stdout


def test_account_groups_and_tree(inst):
    pw = pwd.getpwnam(inst.user)
    assert grp.getgrgid(pw.pw_gid).gr_name == inst.group
    assert pw.pw_shell == "/usr/sbin/nologin"
    assert "postgres" in grp.getgrnam(inst.group).gr_mem  # so server-side COPY reads processing/
    for d in ("file_watcher", "processing", "archive", "failed", "logs", "state"):
        assert mode(inst.data / d) == 0o2770, d
        assert owner(inst.data / d) == (inst.user, inst.group)
    assert owner(inst.app / "shims/cli.py")[0] == "root" and mode(inst.app / "shims/cli.py") == 0o644
    assert mode(inst.env_file) == 0o640 and owner(inst.env_file) == ("root", inst.group)


def test_pgpass_is_private_and_the_password_never_printed(inst):
    pgpass = inst.home / ".pgpass"
    assert mode(pgpass) == 0o600 and owner(pgpass)[0] == inst.user
    password = inst.password()
    assert len(password) >= 24
    for r in (inst.dry, inst.first):
        assert password not in r.stdout + r.stderr
    assert password not in inst.env_file.read_text()


def test_scram_and_tls_only_for_tcp(inst, admin):
    hba = Path(admin.execute("SHOW hba_file").fetchone()[0]).read_text()
    lines = [ln.split() for ln in hba.splitlines() if inst.database in ln and not ln.startswith("#")]
    assert {ln[0] for ln in lines} == {"local", "hostssl", "hostnossl"}
    assert all(ln[-1] in ("scram-sha-256", "reject") for ln in lines) and "md5" not in " ".join(map(" ".join, lines))
    assert admin.execute("SELECT rolpassword LIKE 'SCRAM-SHA-256$%' FROM pg_authid WHERE rolname = 'feeds_etl'"
                         ).fetchone()[0]
    with inst.connect_etl("require") as c:
        assert c.execute("SELECT ssl FROM pg_stat_ssl WHERE pid = pg_backend_pid()").fetchone()[0] is True
        assert c.execute("SELECT current_user").fetchone()[0] == "feeds_etl"
    with pytest.raises(psycopg.OperationalError, match="no encryption"):
        inst.connect_etl("disable").close()


def test_sqitch_deployed_and_verified(inst):
    r = subprocess.run(["runuser", "-u", "postgres", "--", "sqitch", "verify", f"db:pg:{inst.database}"],
                       cwd=inst.app, capture_output=True, text=True)
    assert r.returncode == 0 and "Verify successful" in r.stdout, r.stdout + r.stderr


def test_the_schedule_runs_as_etl_user_through_the_wrapper(inst):
    cron = (inst.root / "etc/cron.d/feeds").read_text()
    assert f"0    2  *   *   1    {inst.user}  {inst.app}/bin/run_python_etl_script.sh run" in cron
    assert f"FEEDS_ENV_FILE={inst.env_file}" in cron
    # The line cron would run, as etl_user, with cron's environment: TLS, .pgpass, the env file.
    r = subprocess.run(["runuser", "-u", inst.user, "--", "env", "-i", f"HOME={inst.home}", "PATH=/usr/bin:/bin",
                        f"FEEDS_ENV_FILE={inst.env_file}", str(inst.app / "bin/run_python_etl_script.sh"),
                        "status", "--limit", "1"], capture_output=True, text=True)
    logs = list((inst.data / "logs").glob("feeds_status_*.log"))
    assert r.returncode == 0, r.stderr + "".join(p.read_text() for p in logs)
    assert logs and mode(logs[0]) == 0o660 and owner(logs[0]) == (inst.user, inst.group)
    assert f"user {inst.user}" in logs[0].read_text()


def test_second_run_changes_nothing(inst):
    r = inst.feeds("install")
    assert r.returncode == 0, r.stdout + r.stderr
    steps = [ln for ln in r.stdout.splitlines() if ln.startswith("[")]
    assert len(steps) == 14
    assert all("] ok, unchanged" in ln for ln in steps), r.stdout
    assert r.stdout.rstrip().endswith("install: nothing changed")


def openssl(*args, cwd):
    subprocess.run(["openssl", *args], cwd=cwd, check=True, capture_output=True)


def test_a_given_ca_makes_the_etl_user_verify_the_server(inst, tmp_path):
    """--cert/--key/--ca: the server uses that certificate, and the ETL user connects with
    sslmode=verify-full against that CA (a server with another certificate would be refused)."""
    for name in ("ca", "other-ca"):
        openssl("req", "-x509", "-newkey", "rsa:2048", "-nodes", "-days", "2", "-subj", f"/CN=Feeds test {name}",
                "-keyout", f"{name}.key", "-out", f"{name}.crt", cwd=tmp_path)
    openssl("req", "-newkey", "rsa:2048", "-nodes", "-subj", "/CN=127.0.0.1", "-keyout", "server.key",
            "-out", "server.csr", cwd=tmp_path)
    (tmp_path / "san.ext").write_text("subjectAltName=IP:127.0.0.1,DNS:localhost\n")
    openssl("x509", "-req", "-in", "server.csr", "-CA", "ca.crt", "-CAkey", "ca.key", "-CAcreateserial", "-days", "2",
            "-extfile", "san.ext", "-out", "server.crt", cwd=tmp_path)
    r = inst.feeds("install", "--cert", str(tmp_path / "server.crt"), "--key", str(tmp_path / "server.key"),
                   "--ca", str(tmp_path / "ca.crt"))
    assert r.returncode == 0, r.stdout + r.stderr
    assert "[tls] turned TLS on with the given certificate" in r.stdout
    from shims.config import read_env_file
    env = read_env_file(inst.env_file)
    assert env["PGSSLMODE"] == "verify-full"
    with psycopg.connect(host="127.0.0.1", port=os.environ["PGPORT"], dbname=inst.database, user="feeds_etl",
                         passfile=str(inst.home / ".pgpass"), sslmode="verify-full",
                         sslrootcert=env["PGSSLROOTCERT"], connect_timeout=5) as c:
        assert c.execute("SELECT ssl FROM pg_stat_ssl WHERE pid = pg_backend_pid()").fetchone()[0] is True
    with pytest.raises(psycopg.OperationalError, match="certificate verify failed"):
        psycopg.connect(host="127.0.0.1", port=os.environ["PGPORT"], dbname=inst.database, user="feeds_etl",
                        passfile=str(inst.home / ".pgpass"), sslmode="verify-full",
                        sslrootcert=str(tmp_path / "other-ca.crt"), connect_timeout=5).close()


def test_uninstall_keeps_the_data_unless_asked_twice(inst, admin):
    archived = inst.data / "archive" / "20260105-1-report.zip"
    archived.write_bytes(b"zip")
    r = inst.feeds("uninstall")
    assert r.returncode == 0, r.stdout + r.stderr
    with pytest.raises(KeyError):
        pwd.getpwnam(inst.user)
    assert not (inst.root / "etc/cron.d/feeds").exists() and not inst.app.exists()
    assert archived.exists()
    assert admin.execute("SELECT 1 FROM pg_database WHERE datname = %s", (inst.database,)).fetchone()
    r = inst.feeds("uninstall", "--purge")
    assert r.returncode == 2 and "--yes-really" in r.stderr and archived.exists()
    r = inst.feeds("uninstall", "--purge", "--yes-really")
    assert r.returncode == 0, r.stdout + r.stderr
    assert not inst.data.exists()
    assert admin.execute("SELECT 1 FROM pg_database WHERE datname = %s", (inst.database,)).fetchone() is None
    with pytest.raises(KeyError):
        grp.getgrnam(inst.group)
