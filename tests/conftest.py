"""Fixtures that give tests the real throwaway cluster started by bin/test.

bin/test exports PGHOST/PGPORT/PGDATABASE (superuser 'postgres' over the unix socket),
FEEDS_TEST_DIR (a directory the server can read and write) and FEEDS_PGDATA (so a test can
stop and start the server).
"""
import os
import subprocess
import uuid
from pathlib import Path

import psycopg
import pytest

ROOT = Path(__file__).resolve().parent.parent


def _require_env():
    if "FEEDS_TEST_DIR" not in os.environ:
        pytest.exit("run the tests through bin/test (it starts the throwaway cluster)", returncode=2)


@pytest.fixture(scope="session")
def dsn():
    _require_env()
    return f"host={os.environ['PGHOST']} port={os.environ['PGPORT']} dbname={os.environ['PGDATABASE']}"


@pytest.fixture
def admin(dsn):
    """Superuser connection, autocommit."""
    with psycopg.connect(dsn + " user=postgres", autocommit=True) as conn:
        yield conn


@pytest.fixture
def etl(dsn):
    """Connection as feeds_etl, the role cron and the shims use."""
    with psycopg.connect(dsn + " user=feeds_etl", autocommit=True) as conn:
        yield conn


@pytest.fixture
def workdir():
    """A fresh directory under FEEDS_TEST_DIR that the database server can read (2770, etl_group)."""
    _require_env()
    d = Path(os.environ["FEEDS_TEST_DIR"]) / f"t-{uuid.uuid4().hex[:10]}"
    old = os.umask(0o007)
    try:
        d.mkdir(mode=0o2770)
    finally:
        os.umask(old)
    return d


@pytest.fixture
def pgcluster():
    """Stop/start the throwaway server (outage tests)."""
    def run(action):
        subprocess.run([str(ROOT / "bin" / "pgcluster"), action], check=True)
    return run


# Session fixture of tests/installed.py: one `feeds install` shared by test_doctor and test_install.
from installed import installation  # noqa: E402,F401
