"""Every Feeds SQLSTATE the database raises reaches Python as FeedsError, never as the
OperationalError of a lost connection, so no shim mistakes a refusal for an outage."""
import re

import psycopg
import pytest

from conftest import ROOT
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
