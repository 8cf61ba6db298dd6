"""Property: any table of text (commas, quotes, newlines, CR, "_x", unicode), integers and dates, written
as CSV or as XLSX, goes through the watcher (and the converter) and the engine and comes out of
the target table equal to what went in. Examples are few and small, so it runs in seconds."""
from __future__ import annotations

import collections
import csv
import datetime as dt
import io
import itertools

import openpyxl
import pytest
from hypothesis import HealthCheck, example, given, settings, strategies as st

from reliability.conftest import table_rows
from shims import db as dbm
from shims import file_watcher
from psycopg import sql

# CR and "_x" are in: a workbook holds them as Excel writes them (see excel_text()).
SPECIAL = ",\"'\n\r\t;$=+-@ é€😀\u202e_x"
text = st.text(alphabet=st.one_of(st.sampled_from(SPECIAL), st.characters(
    blacklist_categories=("Cs", "Cc"), max_codepoint=0x1FFFF)), min_size=1, max_size=24).filter(
    lambda s: s.strip() != "")
table = st.lists(st.tuples(text, st.integers(-2**31, 2**31 - 1), st.dates(dt.date(1, 1, 1), dt.date(9999, 12, 31))),
                 min_size=1, max_size=6)
COUNTER = itertools.count()
COLUMNS = {"t": "text", "i": "integer", "d": "date"}
XLSX_FIRST_DATE = dt.date(1900, 3, 1)


def _csv(rows) -> bytes:
    out = io.StringIO(newline="")
    w = csv.writer(out, lineterminator="\r\n", quoting=csv.QUOTE_MINIMAL)
    w.writerow(COLUMNS)
    w.writerows((t, i, d.isoformat()) for t, i, d in rows)
    return out.getvalue().encode()


def excel_text(s: str) -> str:
    """Cell text as Excel writes it into the sheet XML (ST_Xstring): a CR as _x000D_ (a raw CR in
    XML reads back as LF), and the underscore of a literal "_x" as _x005F_, so that text which
    looks like an escape reads back as itself. openpyxl writes strings as given."""
    return s.replace("_x", "_x005F_x").replace("\r", "_x000D_")


def _xlsx(rows) -> bytes:
    wb = openpyxl.Workbook()
    ws = wb.active
    ws.append(list(COLUMNS))
    for r, (t, i, d) in enumerate(rows, start=2):
        c = ws.cell(r, 1)
        c.value = excel_text(t)
        c.data_type = "s"  # never a formula, whatever the text begins with
        ws.cell(r, 2).value = i
        ws.cell(r, 3).value = d
        ws.cell(r, 3).number_format = "yyyy-mm-dd"
    b = io.BytesIO()
    wb.save(b)
    return b.getvalue()


def _roundtrip(job, ledger, rows, write, ext):
    name = f"{job['job']}_{next(COUNTER)}.{ext}"
    (job["inbox"] / name).write_bytes(write(rows))
    db = dbm.Db()
    log = dbm.RunLog("file_watcher", str(db.one("SELECT dba.start_run('pytest')")[0]))
    try:
        [o] = file_watcher.watch_once(db, log, settle=0, inboxes=[str(job["inbox"])], progress=False)
        assert o.action in ("registered", "duplicate"), o
        if o.action == "duplicate":
            return
        [(status, n)] = db.call("SELECT status, rows_inserted FROM dba.run_import(p_job => %s)", (job["job"],))
        got = db.call(sql.SQL("SELECT t, i, d FROM {} WHERE load_id = %s").format(sql.Identifier(*job["table"].split("."))),
                      (o.load_id,))
    finally:
        db.close()
        log.close()
    want = collections.Counter(rows)
    ledger.rows_checked += len(rows)
    ledger.rows_lost += sum((want - collections.Counter(got)).values())
    assert (status, collections.Counter(got)) == ("loaded", want)


PROPERTY = settings(max_examples=25, deadline=None, derandomize=True,
                    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow])


@pytest.fixture
def tjob(rjob):
    return lambda ft: rjob(COLUMNS, file_type=ft, required=(), options={"t": {"trim": False}})


@pytest.mark.parametrize("kind", ["csv", "xlsx"])
@PROPERTY
@given(rows=table)
@example(rows=[("tab\tinside", 1, dt.date(2024, 2, 29)), ('"=quoted", then', -2**31, dt.date(1, 1, 1)),
                ("multi\nline ü 😀", 2**31 - 1, dt.date(9999, 12, 31)), (" spaced ", 0, dt.date(1970, 1, 1))])
@example(rows=[("cr\ralone, then\r\n", 3, dt.date(2024, 1, 2)), ("_x000D_ typed, _x41_, _x", 4, dt.date(2024, 1, 3))])
def test_any_table_comes_out_equal(shim_env, tjob, ledger, rows, request, kind):
    job = request.node.__dict__.setdefault("job", tjob(kind))
    if kind == "xlsx":  # a workbook holds dates as serial numbers from 1900-03-01 on (1900-02-29 is
        # Excel's leap-year bug); an earlier date is a number there, which a date column rejects
        rows = [(t, i, max(d, XLSX_FIRST_DATE)) for t, i, d in rows]
    _roundtrip(job, ledger, rows, {"csv": _csv, "xlsx": _xlsx}[kind], kind)
