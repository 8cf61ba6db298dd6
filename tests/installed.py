"""`feeds install` into a temporary root and the throwaway cluster, with test-unique names, and
the cleanup that leaves no user, group, database or role behind. The session fixture
`installation` (registered in conftest.py) is shared by test_doctor and test_install: one
install per session, since the venv and the Sqitch deploy are the slow part. test_doctor puts back
what it breaks; test_install's last test uninstalls."""
from __future__ import annotations

import os
import secrets
import subprocess
from dataclasses import dataclass
from pathlib import Path

import psycopg
import pytest

from conftest import ROOT


@dataclass
class Installed:
    root: Path
    tag: str
    venv: Path = ROOT / ".venv"
    last: subprocess.CompletedProcess | None = None

    @property
    def user(self): return f"feeds_t_{self.tag}u"

    @property
    def group(self): return f"feeds_t_{self.tag}g"

    @property
    def sftp_group(self): return f"feeds_t_{self.tag}s"

    @property
    def database(self): return f"feeds_t_{self.tag}"

    @property
    def admin_role(self): return f"feeds_t_{self.tag}_admin"

    @property
    def app(self): return self.root / "opt/feeds"

    @property
    def data(self): return self.root / "srv/feeds"

    @property
    def home(self): return self.root / "home" / self.user

    @property
    def env_file(self): return self.root / "etc/feeds/feeds.env"

    def names(self) -> list[str]:
        return ["--root", str(self.root), "--etl-user", self.user, "--etl-group", self.group,
                "--sftp-group", self.sftp_group, "--database", self.database, "--admin-role", self.admin_role]

    def feeds(self, command: str, *args: str) -> subprocess.CompletedProcess:
        extra = ["--etl-host", "127.0.0.1", "--venv-from", str(self.venv)] if command == "install" else []
        r = subprocess.run([str(ROOT / "bin/feeds"), command, *self.names(), *extra, *args],
                           capture_output=True, text=True, env=dict(os.environ, PGUSER="postgres"))
        self.last = r
        return r

    def password(self) -> str:
        return (self.home / ".pgpass").read_text().strip().split(":")[-1]

    def connect_etl(self, sslmode: str) -> psycopg.Connection:
        return psycopg.connect(host="127.0.0.1", port=os.environ["PGPORT"], dbname=self.database, user="feeds_etl",
                               passfile=str(self.home / ".pgpass"), sslmode=sslmode, connect_timeout=5,
                               autocommit=True)

    def cleanup(self) -> None:
        self.feeds("uninstall", "--purge", "--yes-really")
        subprocess.run(["userdel", self.user], capture_output=True)
        for g in (self.group, self.sftp_group):
            subprocess.run(["groupdel", g], capture_output=True)
        with psycopg.connect(f"host={os.environ['PGHOST']} port={os.environ['PGPORT']} dbname=postgres user=postgres",
                             autocommit=True) as c:
            c.execute(f'DROP DATABASE IF EXISTS "{self.database}" WITH (FORCE)')
            c.execute(f'DROP ROLE IF EXISTS "{self.admin_role}"')
        subprocess.run(["rm", "-rf", str(self.root)])


def etl_venv() -> Path:
    """A venv from the pinned requirements that etl_user can run (the project's .venv may use a
    Python in root's home), built once per bin/test session with the system's Python."""
    venv = Path(os.environ["FEEDS_TEST_BASE"]) / "etl-venv"
    if not (venv / ".done").exists():
        subprocess.run(["/usr/bin/python3", "-m", "venv", str(venv)], check=True)
        subprocess.run([str(venv / "bin/python"), "-m", "pip", "install", "-q", "--disable-pip-version-check",
                        "-r", str(ROOT / "requirements.txt")], check=True, capture_output=True)
        (venv / ".done").touch()
    return venv


def new_installation(venv: Path | None = None) -> Installed:
    """A fresh root for one install; venv: the venv it links (default the project's, which
    etl_user may not be able to run: pass etl_venv() to run commands as etl_user)."""
    base = Path(os.environ["FEEDS_TEST_BASE"])
    tag = secrets.token_hex(3)
    root = base / f"inst-{tag}"
    root.mkdir(mode=0o755)
    os.chmod(root, 0o755)
    return Installed(root, tag, venv or ROOT / ".venv")


@pytest.fixture(scope="session")
def installation():
    """A dry run, then the real install, into a fresh root; their outputs are kept (.dry, .first)."""
    if os.geteuid() != 0:
        pytest.skip("feeds install creates OS users and groups: needs root")
    i = new_installation(venv=etl_venv())  # a venv etl_user can run: test_install runs the wrapper as it
    i.dry = i.feeds("install", "--dry-run")
    assert i.dry.returncode == 0, i.dry.stdout + i.dry.stderr
    i.first = i.feeds("install")
    assert i.first.returncode == 0, i.first.stdout + i.first.stderr
    yield i
    i.cleanup()
