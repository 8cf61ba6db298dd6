"""Every Feeds SQLSTATE the database raises reaches Python as FeedsError, never as the
OperationalError of a lost connection, so no shim mistakes a refusal for an outage; and a
connection the server refused (role, database, password) is told from an outage by SQLSTATE and
connection state, whatever language the server speaks."""
import os
import re
import shutil
import socket
import subprocess
import tempfile
from pathlib import Path

import psycopg
import pytest

from conftest import ROOT
from shims import db as dbm
from shims.sqlstates import CODES, FeedsError


def test_every_code_raised_in_sql_is_registered():
    raised = set()
    for path in (ROOT / "db" / "functions").glob("*.sql"):
        raised |= set(re.findall(r"'(FD\d{3})'", path.read_text()))
    assert raised <= set(CODES), f"register in shims/sqlstates.py: {sorted(raised - set(CODES))}"
    readme = (ROOT / "README.md").read_text()
    internal = {"FD098", "FD099"}  # direct-path and dry-run sentinels, caught inside the engine
    undocumented = [c for c in raised - internal if f"| {c} |" not in readme]
    assert not undocumented, f"add to the README's error codes: {undocumented}"


def test_a_refusal_is_a_feeds_error_not_an_outage(etl):
    with pytest.raises(psycopg.Error) as info:
        etl.execute("SELECT * FROM dba.register_file('no_such_job', 'x.csv', repeat('a', 64), 1)")
    assert isinstance(info.value, FeedsError)
    assert not isinstance(info.value, psycopg.OperationalError)
    assert info.value.diag.sqlstate == "FD001"


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


@pytest.mark.parametrize("extra", [
    "user=no_such_role",                             # the server's 28000
    "dbname=no_such_database",                       # 3D000
    "host=127.0.0.1 user=feeds_etl password=wrong",  # 28P01 (scram over TCP)
])
def test_a_server_refusal_is_a_configuration_error_and_not_retried(dsn, monkeypatch, extra):
    """A failed connection has no SQLSTATE in libpq's API; the connection state tells it from an
    outage (the server answers libpq's ping), never the lc_messages-dependent wording."""
    monkeypatch.setenv("FEEDS_DSN", f"{dsn} {extra}")
    retried = []
    with pytest.raises(psycopg.OperationalError) as info:
        dbm.connect(retries=2, on_retry=lambda e, delay: retried.append(e))
    assert dbm.is_configuration_error(info.value)
    assert retried == []


def test_no_password_for_a_server_that_asks_is_a_configuration_error(dsn, monkeypatch, tmp_path):
    """libpq gave up before answering the server: its needs_password state says why."""
    monkeypatch.setenv("FEEDS_DSN", f"{dsn} host=127.0.0.1 user=feeds_etl")
    monkeypatch.delenv("PGPASSWORD", raising=False)
    monkeypatch.setenv("PGPASSFILE", str(tmp_path / "no_pgpass"))
    retried = []
    with pytest.raises(psycopg.OperationalError) as info:
        dbm.connect(retries=2, on_retry=lambda e, delay: retried.append(e))
    assert info.value.sqlstate is None and dbm.is_configuration_error(info.value)
    assert retried == []


def test_a_server_that_does_not_answer_is_an_outage_and_retried(monkeypatch):
    monkeypatch.setenv("FEEDS_DSN", f"host=127.0.0.1 port={_free_port()} dbname=feeds user=feeds_etl")
    monkeypatch.setenv("FEEDS_DB_BACKOFF", "0")
    retried = []
    with pytest.raises(psycopg.OperationalError) as info:
        dbm.connect(retries=2, on_retry=lambda e, delay: retried.append(e))
    assert info.value.sqlstate is None and not dbm.is_configuration_error(info.value)
    assert len(retried) == 2


def test_an_error_of_an_open_connection_is_told_by_its_sqlstate(etl):
    with pytest.raises(psycopg.OperationalError) as info:  # 57014 query_canceled: not a lost connection
        etl.execute("SET statement_timeout = '1ms'")
        etl.execute("SELECT pg_sleep(1)")
    assert info.value.sqlstate == "57014"
    assert not dbm.is_connection_loss(info.value, etl)
    etl.execute("RESET statement_timeout")


@pytest.fixture(scope="module")
def spanish_server():
    """A throwaway PostgreSQL 15 server of its own whose lc_messages is es_MX.UTF-8, so every
    refusal it sends is worded in Spanish (Debian's postgresql-15 ships the translations). The
    machine has only the C locales: the locale is built with localedef into a directory the server
    finds through LOCPATH (no root needed, nothing installed). Yields a DSN without dbname/user."""
    pgbin = Path(os.environ.get("FEEDS_PGBIN", "/usr/lib/postgresql/15/bin"))
    if not Path("/usr/share/locale/es/LC_MESSAGES/postgres-15.mo").exists():
        pytest.skip("PostgreSQL's Spanish translations (/usr/share/locale/es/LC_MESSAGES/postgres-15.mo) are missing")
    if shutil.which("localedef") is None or not Path("/usr/share/i18n/locales/es_MX").exists():
        pytest.skip("no localedef or no es_MX locale source (Debian package locales) to build es_MX.UTF-8 from")
    server_user = os.environ.get("FEEDS_PGUSER_OS", "postgres")
    run_as = ["runuser", "-u", server_user, "--"] if os.getuid() == 0 else []  # as bin/pgcluster runs it
    base = Path(tempfile.mkdtemp(prefix="feeds-lc-messages-", dir="/var/tmp"))
    os.chmod(base, 0o755)
    locales = base / "locales"
    locales.mkdir()
    r = subprocess.run(["localedef", "-i", "es_MX", "-f", "UTF-8", str(locales / "es_MX.UTF-8")],
                       capture_output=True, text=True)
    if not (locales / "es_MX.UTF-8" / "LC_MESSAGES").exists():
        shutil.rmtree(base)
        pytest.skip(f"localedef could not build es_MX.UTF-8: {r.stderr.strip()[:300]}")
    data, sock = base / "data", base / "run"
    for d in (data, sock):
        d.mkdir(mode=0o700)
        if run_as:
            shutil.chown(d, server_user)
    env = dict(os.environ, LOCPATH=str(locales))
    port = _free_port()
    subprocess.run(run_as + [str(pgbin / "initdb"), "-D", str(data), "-U", "postgres", "-E", "UTF8",
                             "--locale=C.UTF-8", "--lc-messages=es_MX.UTF-8", "--auth-local=trust",
                             "--auth-host=scram-sha-256"], env=env, check=True, capture_output=True)
    subprocess.run(run_as + [str(pgbin / "pg_ctl"), "-D", str(data), "-l", str(sock / "server.log"), "-w", "-t", "60",
                             "-o", f"-p {port} -k {sock} -c listen_addresses=127.0.0.1 -c fsync=off", "start"],
                   env=env, check=True, capture_output=True)
    try:
        dsn = f"host={sock} port={port}"
        with psycopg.connect(f"{dsn} dbname=postgres user=postgres", autocommit=True) as admin:
            assert admin.execute("SHOW lc_messages").fetchone()[0] == "es_MX.UTF-8"
            admin.execute("CREATE ROLE feeds_etl LOGIN PASSWORD 'right'")
        yield dsn
    finally:
        subprocess.run(run_as + [str(pgbin / "pg_ctl"), "-D", str(data), "-m", "immediate", "stop"],
                       env=env, capture_output=True)
        shutil.rmtree(base, ignore_errors=True)


@pytest.mark.parametrize("extra,spanish", [
    ("dbname=postgres user=no_such_role", "no existe el rol «no_such_role»"),             # 28000
    ("dbname=no_such_database user=postgres", "no existe la base de datos «no_such_database»"),  # 3D000
    ("host=127.0.0.1 dbname=postgres user=feeds_etl password=wrong", "falló para el usuario «feeds_etl»"),  # 28P01
])
def test_a_refusal_worded_in_another_language_is_still_a_configuration_error(spanish_server, monkeypatch,
                                                                               extra, spanish):
    """db.py tells outages from configuration errors by SQLSTATE and connection state: a server
    speaking Spanish (lc_messages = es_MX.UTF-8) refuses, and the refusal is not retried."""
    monkeypatch.setenv("FEEDS_DSN", f"{spanish_server} {extra}")
    retried = []
    with pytest.raises(psycopg.OperationalError) as info:
        dbm.connect(retries=2, on_retry=lambda e, delay: retried.append(e))
    assert spanish in str(info.value)  # the server really answered in Spanish
    assert dbm.is_configuration_error(info.value)
    assert retried == []
