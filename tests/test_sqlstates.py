"""Every Feeds SQLSTATE the database raises reaches Python as FeedsError, never as the
OperationalError of a lost connection, so no shim mistakes a refusal for an outage; and a
connection the server refused (role, database, password) is told from an outage by SQLSTATE and
connection state, whatever language the server speaks."""
import re
import socket

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
