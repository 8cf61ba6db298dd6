"""Hostile input through a whole `feeds run`: broken, odd and malicious files and names. Each case
names what a user must see afterwards: its good rows in the table exactly once, each bad row
rejected with its line, each bad file failed with a reason, every file still somewhere, and the
next run healthy."""
from __future__ import annotations

import io
import os
import re
import stat
import zipfile

import openpyxl
import psycopg
from psycopg import sql
import pytest

from reliability.conftest import check_job, run_feeds, table_rows
from shims.file_watcher import safe_name

H = b"id,name,email\r\n"


def row(i, name="n", email="e@example.com"):
    return f"{i},{name},{email}\r\n".encode()


def good(i, name="n", email="e@example.com"):
    return (i, name, email)


# (case, name after the job prefix, content, expectation)
#   ("load", [rows])                 loaded, exactly these rows
#   ("rejects", [rows], n)           loaded_with_rejects: these rows, n rejected rows with line and reason
#   ("failed", regex)                one failed load whose message matches
#   ("left", None)                   left in the inbox (the name cannot be taken), the run goes on
CSV_CASES = [
    ("zero_bytes", "_empty.csv", b"", ("failed", r"empty|no header")),
    ("binary", "_binary.csv", bytes(range(256)) * 40, ("failed", r".")),
    ("nul_byte", "_nul.csv", H + row(100) + b"101,a\x00b,x@example.com\r\n", ("rejects_or_failed", [good(100)], 1)),
    ("unterminated_quote", "_quote.csv", H + row(110) + b'111,"never closed,x@example.com\r\n' + row(112),
     ("failed_or_rejects", r"quote|unterminated|line", [good(110)])),
    ("latin1_in_utf8_job", "_latin1.csv", H + "120,café,c@example.com\r\n".encode("latin-1"),
     ("failed_or_rejects", r"encoding|UTF8|byte sequence", [])),
    ("utf8_bom", "_bom.csv", b"\xef\xbb\xbf" + H + row(130), ("load", [good(130)])),
    ("utf16", "_utf16.csv", (H + row(140)).decode().encode("utf-16"), ("failed", r".")),
    ("mixed_line_ends", "_mixed.csv", H + b"150,a,a@example.com\n151,b,b@example.com\r\n152,c,c@example.com\n",
     ("load", [good(150, "a", "a@example.com"), good(151, "b", "b@example.com"), good(152, "c", "c@example.com")])),
    ("no_final_newline", "_nofinal.csv", H + b"160,a,a@example.com", ("load", [good(160, "a", "a@example.com")])),
    ("header_only", "_header.csv", H, ("load", [])),
    ("duplicate_headers", "_duphdr.csv", b"id,id,email\r\n170,171,x@example.com\r\n", ("failed", r"header|column")),
    ("ten_thousand_columns", "_wide.csv", (",".join(f"c{i}" for i in range(10000)) + "\r\n").encode()
     + (",".join('"v"' for _ in range(10000)) + "\r\n").encode(), ("failed", r"header|column")),
    ("extra_field", "_extra.csv", H + row(180) + b"181,a,a@example.com,surplus\r\n", ("rejects", [good(180)], 1)),
    ("missing_field", "_missing.csv", H + row(190) + b"191,a\r\n", ("rejects", [good(190)], 1)),
    ("not_a_number", "_nan.csv", H + row(200) + b"two hundred,a,a@example.com\r\n", ("rejects", [good(200)], 1)),
    ("integer_overflow", "_intmax.csv", H + b"2147483647,max,m@example.com\r\n2147483648,over,o@example.com\r\n",
     ("rejects", [good(2147483647, "max", "m@example.com")], 1)),
    ("formula_cells", "_formula.csv", H + b'210,"=cmd|x!A1","@evil"\r\n211,+SUM(1),-2+3\r\n',
     ("load", [good(210, "=cmd|x!A1", "@evil"), good(211, "+SUM(1)", "-2+3")])),
    ("quoted_newlines", "_multiline.csv", H + b'220,"two\nlines","say ""hi"", then"\r\n',
     ("load", [good(220, "two\nlines", 'say "hi", then')])),
    ("sql_in_values", "_sqlvalues.csv", H + b"230,'); DROP TABLE dba.tdataloads; --,$$x$$\r\n",
     ("load", [good(230, "'); DROP TABLE dba.tdataloads; --", "$$x$$")])),
    ("long_field", "_longfield.csv", H + b"240," + b"x" * 1_000_000 + b",l@example.com\r\n",
     ("load", [good(240, "x" * 1_000_000, "l@example.com")])),
    ("blank_lines", "_blank.csv", H + row(250) + b"\r\n\r\n" + row(251), ("rejects_or_load", [good(250), good(251)])),
    # COPY's end-of-data marker: PostgreSQL 15's COPY and file_fdw stop at a line \. and drop the rest
    ("end_of_data_line", "_eod.csv", H + row(270) + b"\\.\r\n" + row(271), ("rejects", [good(270), good(271)], 1)),
    ("end_of_data_in_quotes", "_eodq.csv", H + b'272,"x\r\n\\.\r\ny",q@example.com\r\n' + row(273),
     ("load", [good(272, "x\r\n\\.\r\ny", "q@example.com"), good(273)])),
    ("name_quote", "_o'brien.csv", H + row(260), ("load", [good(260)])),
    ("name_semicolon", "_a;b.csv", H + row(261), ("load", [good(261)])),
    ("name_dollars", "_$$x$$.csv", H + row(262), ("load", [good(262)])),
    ("name_sql", '_"; DROP TABLE x; --.csv', H + row(263), ("load", [good(263)])),
    ("name_newline", "_a\nb.csv", H + row(264), ("failed", r"control characters")),
    ("name_not_utf8", b"_caf\xf1.csv", H + row(265), ("failed", r"not valid UTF-8")),
    ("name_255_bytes", "_" + "n" * 239 + ".csv", H + row(266), ("load", [good(266)])),
    ("name_255_bytes_failed", "_" + "f" * 239 + ".csv", b"wrong,header\r\n1,2\r\n", ("failed", r"header")),
    ("name_multibyte_long", "_" + "é" * 118 + ".csv", H + row(267), ("load", [good(267)])),
]


def _write(path: bytes, content: bytes) -> None:
    fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o660)
    with os.fdopen(fd, "wb") as f:
        f.write(content)


def test_hostile_csv_files_and_names(shim_env, rjob, etl, ledger, tmp_path):
    job = rjob()
    prefix = os.fsencode(job["job"])
    inbox = os.fsencode(job["inbox"])
    names = {}
    for case, suffix, content, _ in CSV_CASES:
        raw = prefix + (suffix if isinstance(suffix, bytes) else suffix.encode())
        names[case] = raw
        _write(os.path.join(inbox, raw), content)
    # links: a secret file elsewhere, reached through a symlink and a hard link
    secret = tmp_path / "secret.csv"
    secret.write_bytes(H + b"999,secret,s@example.com\r\n")
    secret.chmod(0o600)
    before = os.stat(secret)
    os.symlink(secret, job["inbox"] / f"{job['job']}_symlink.csv")
    os.link(secret, job["inbox"] / f"{job['job']}_hardlink.csv")

    run, rc, out = run_feeds()
    assert rc == 1, out  # some files failed, and the run went through to the end
    assert "run summary" in out and "unexpected error" not in out, out

    want, failed, rejects = [], {}, {}
    loads = {r[0]: r[1:] for r in etl.execute(
        "SELECT file_name, status, error_message, rows_rejected FROM dba.tdataloads WHERE job_name = %s",
        (job["job"],)).fetchall()}
    for case, suffix, content, expect in CSV_CASES:
        ledger.hostile.add(case)
        name = os.fsdecode(names[case])
        shown = safe_name(name)
        kind = expect[0]
        st = loads.get(shown)
        if kind == "load":
            assert st and st[0] == "loaded", (case, st)
            want += expect[1]
        elif kind == "rejects":
            rejects[shown] = expect[2]
            want += expect[1]
        elif kind == "failed":
            failed[shown] = expect[1]
        elif kind == "left":
            assert st is None and os.path.lexists(os.path.join(inbox, names[case])), case
            assert "cannot tell which job takes it" in out and "FD011" in out
        elif kind == "rejects_or_failed":  # the row is rejected, or the whole file fails, with a reason
            assert st and st[0] in ("loaded_with_rejects", "failed"), (case, st)
            assert st[0] == "loaded_with_rejects" or re.search(r"line \d+", st[1]), (case, st)
            if st[0] == "loaded_with_rejects":
                rejects[shown] = expect[2]
                want += expect[1]
        elif kind == "failed_or_rejects":
            assert st and st[0] in ("loaded_with_rejects", "failed"), (case, st)
            if st[0] == "failed":
                failed[shown] = expect[1]
            else:
                want += expect[2]
        elif kind == "rejects_or_load":
            assert st and st[0] in ("loaded", "loaded_with_rejects"), (case, st)
            want += expect[1]
    for link in ("symlink", "hardlink"):
        ledger.hostile.add(link)
        failed[f"{job['job']}_{link}.csv"] = r"refused unread"
    check_job(etl, job, ledger, want, files=len(CSV_CASES) + 2, failed=failed, rejects=rejects)
    after = os.stat(secret)
    assert (stat.S_IMODE(after.st_mode), after.st_uid, after.st_gid) == (0o600, before.st_uid, before.st_gid)
    assert secret.read_bytes().startswith(H)
    assert not any("secret" in (r[0] or "") for r in etl.execute(
        "SELECT raw_line FROM dba.tloaderror e JOIN dba.tdataloads d USING (load_id) WHERE d.job_name = %s",
        (job["job"],)).fetchall())
    # failed files are in failed/ with a reason each, under names that fit; nothing is taken twice
    for p in job["failed"].iterdir():
        assert len(os.fsencode(p.name)) <= 255
    reasons = [p for p in job["failed"].iterdir() if p.name.endswith(".reason.txt")]
    assert len(reasons) == sum(1 for v in loads.values() if v[0] == "failed")
    # the next run is healthy and takes nothing again
    run2, rc2, out2 = run_feeds()
    assert rc2 == 0, out2
    assert etl.execute("SELECT count(*) FROM dba.tdataloads WHERE run_uuid = %s", (run2,)).fetchone()[0] == 0
    assert sorted(table_rows(etl, job)) == sorted(want)


def _xlsx(rows) -> bytes:
    wb = openpyxl.Workbook()
    for r in rows:
        wb.active.append(r)
    b = io.BytesIO()
    wb.save(b)
    return b.getvalue()


def _patch_zip(data: bytes, member: str, edit) -> bytes:
    src, out = zipfile.ZipFile(io.BytesIO(data)), io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as z:
        for info in src.infolist():
            body = src.read(info)
            z.writestr(info, edit(body) if info.filename == member else body)
    return out.getvalue()


def _bomb(cells: int = 4_000_000) -> bytes:
    """A sheet that declares A1:XFD1048576 and repeats one cell millions of times: small on
    disk, huge in memory for a reader that keeps rows."""
    base = _xlsx([["id", "name", "email"], [1, "a", "a@example.com"]])
    cell = b'<c t="inlineStr"><is><t>x</t></is></c>'
    per_row = 16_000

    def edit(body: bytes) -> bytes:
        head = body.split(b"<sheetData>")[0].replace(b'<dimension ref="A1:C2"/>', b'<dimension ref="A1:XFD1048576"/>')
        rows = b"".join(b'<row r="%d">' % r + cell * per_row + b"</row>" for r in range(1, cells // per_row + 1))
        return head + b"<sheetData>" + rows + b"</sheetData></worksheet>"
    return _patch_zip(base, "xl/worksheets/sheet1.xml", edit)


XLSX_CASES = [
    ("xlsx_zero_bytes", "_empty.xlsx", b"", ("failed", r"cannot convert")),
    ("xlsx_truncated", "_truncated.xlsx", _xlsx([["id", "name", "email"], [1, "a", "a@example.com"]])[:700],
     ("failed", r"cannot convert")),
    ("xlsx_pdf", "_pdf.xlsx", b"%PDF-1.4 posing as a workbook", ("failed", r"cannot convert.*PDF")),
    ("xlsx_plain_zip", "_zip.xlsx", _patch_zip(_xlsx([["a"]]), "xl/workbook.xml", lambda b: b"not xml"),
     ("failed", r"cannot convert")),
    ("xlsx_formulas_as_text", "_formula.xlsx", _xlsx([["id", "name", "email"], [300, "+SUM(1)", "@x"]]),
     ("load", [(300, "+SUM(1)", "@x")])),
    ("xlsx_unicode", "_unicode.xlsx", _xlsx([["id", "name", "email"], [301, "Zoë 😀 \u202e", "z@example.com"]]),
     ("load", [(301, "Zoë 😀 \u202e", "z@example.com")])),
]


def test_hostile_workbooks(shim_env, rjob, etl, ledger, monkeypatch):
    job = rjob(file_type="xlsx")
    for case, suffix, content, _ in XLSX_CASES:
        (job["inbox"] / f"{job['job']}{suffix}").write_bytes(content)
    run, rc, out = run_feeds()
    assert rc == 1 and "run summary" in out, out
    want, failed = [], {}
    for case, suffix, content, expect in XLSX_CASES:
        ledger.hostile.add(case)
        if expect[0] == "load":
            want += expect[1]
        else:
            failed[f"{job['job']}{suffix}"] = expect[1]
    check_job(etl, job, ledger, want, files=len(XLSX_CASES), failed=failed)
    assert run_feeds()[1] == 0


def test_a_cell_with_an_empty_style_attribute_converts(shim_env, rjob, etl, ledger):
    """depends on branch conv: a cell whose style attribute is an empty string (seen on real
    files) made the Excel reader raise; the workbook converts and loads."""
    job = rjob(file_type="xlsx")
    book = _patch_zip(_xlsx([["id", "name", "email"], [1, "a", "a@example.com"]]), "xl/worksheets/sheet1.xml",
                      lambda b: re.sub(rb'<c r="B2"', b'<c r="B2" s=""', b))
    assert b's=""' in zipfile.ZipFile(io.BytesIO(book)).read("xl/worksheets/sheet1.xml")
    (job["inbox"] / f"{job['job']}_style.xlsx").write_bytes(book)
    run_feeds()
    ledger.hostile.add("xlsx_empty_style_attribute")
    check_job(etl, job, ledger, [(1, "a", "a@example.com")], files=1)


@pytest.mark.timeout(180)
def test_a_workbook_bomb_is_refused_by_the_limits_and_the_run_goes_on(shim_env, rjob, etl, ledger, monkeypatch):
    """depends on branch conv: the converter streams; here the watcher's limits hold whatever the
    reader does. The bomb fails with a reason naming the limit; the CSV beside it loads."""
    monkeypatch.setenv("FEEDS_CONVERT_MEMORY_MB", "150")
    monkeypatch.setenv("FEEDS_CONVERT_MAX_SECONDS", "30")
    book = rjob(file_type="xlsx")
    people = rjob()
    bomb = _bomb()
    assert len(bomb) < 3_000_000
    (book["inbox"] / f"{book['job']}_bomb.xlsx").write_bytes(bomb)
    (people["inbox"] / f"{people['job']}_ok.csv").write_bytes(H + row(1))
    run, rc, out = run_feeds()
    ledger.hostile.add("xlsx_bomb")
    assert rc == 1, out
    check_job(etl, book, ledger, [], files=1,
              failed={f"{book['job']}_bomb.xlsx": r"FEEDS_CONVERT_MEMORY_MB|FEEDS_CONVERT_MAX_SECONDS|FEEDS_CONVERT_MAX_CELLS|FEEDS_CONVERT_MAX_BYTES"})
    check_job(etl, people, ledger, [good(1)], files=1)


NUMBER_CASES = [
    ("numeric_fits", "1,12345.67,2024-02-29,0\r\n", (1, "12345.67", "2024-02-29", 0)),
    ("date_max", "2,0.01,9999-12-31,1\r\n", (2, "0.01", "9999-12-31", 1)),
    ("date_feb_30", "3,1,2024-02-30,3\r\n", None),
    ("date_year_0", "4,1,0000-01-01,4\r\n", None),
    ("bigint_over", "9223372036854775808,1,2000-01-01,5\r\n", None),
    ("integer_as_decimal", "8,1,2000-01-01,9.5\r\n", None),
]
# depends on branch engine: values that do not fit the target column are row rejects (line, column)
FIT_CASES = [
    ("numeric_1e309", "5,1e309,2000-01-01,6\r\n", None),
    ("numeric_scale", "6,99.999,2000-01-01,7\r\n", None),
    ("numeric_precision", "7,12345678901.5,2000-01-01,8\r\n", None),
    ("numeric_fits_too", "9,10.5,2000-01-01,10\r\n", (9, "10.50", "2000-01-01", 10)),
    ("bigint_max", "9223372036854775807,1,2000-01-01,2\r\n", (9223372036854775807, "1.00", "2000-01-01", 2)),
]


def test_numbers_and_dates_at_their_limits(shim_env, rjob, etl, ledger):
    _limits(rjob, etl, ledger, NUMBER_CASES)


def test_values_that_do_not_fit_the_column_are_row_rejects(shim_env, rjob, etl, ledger):
    """depends on branch engine (issue 11 item 5): 1e309 or 12345678901.5 into numeric(12,2) and
    99.999 (rounding) are rejects naming line and column, not a failed file."""
    _limits(rjob, etl, ledger, FIT_CASES)


def test_a_cr_inside_a_field_survives(shim_env, rjob, etl, ledger):
    """A CR (alone or before LF) inside a quoted field loads as itself, in a CSV and in a
    workbook's cell. Excel writes a CR in cell text as _x000D_ (XML readers turn a raw CR into LF,
    as the XML standard says), so the workbook is written that way."""
    job, book = rjob(), rjob(file_type="xlsx")
    (job["inbox"] / f"{job['job']}_crlf.csv").write_bytes(
        H + b'1,"two\r\nlines",x@example.com\r\n2,"cr\ralone",y@example.com\r\n')
    (book["inbox"] / f"{book['job']}_cr.xlsx").write_bytes(_xlsx([["id", "name", "email"], [3, "cr_x000D_alone", "z@x.org"]]))
    run_feeds()
    ledger.hostile.update({"quoted_crlf", "quoted_cr", "xlsx_cell_cr"})
    check_job(etl, job, ledger, [good(1, "two\r\nlines", "x@example.com"), good(2, "cr\ralone", "y@example.com")],
              files=1)
    check_job(etl, book, ledger, [(3, "cr\ralone", "z@x.org")], files=1)


def _limits(rjob, etl, ledger, cases):
    job = rjob({"id": "bigint", "amount": "numeric", "day": "date", "n": "integer"},
               sql_types={"amount": "numeric(12,2)"})
    body = b"id,amount,day,n\r\n" + b"".join(c[1].encode() for c in cases)
    (job["inbox"] / f"{job['job']}_limits.csv").write_bytes(body)
    run, rc, out = run_feeds()
    want = sorted((c[2] for c in cases if c[2]), key=lambda r: r[3])  # as the query orders them: by n
    for c in cases:
        ledger.hostile.add(c[0])
    got = etl.execute(sql.SQL("SELECT id, amount::text, day::text, n FROM {} ORDER BY n").format(
        sql.Identifier(*job["table"].split(".")))).fetchall()
    ledger.rows_checked += len(want)
    ledger.rows_lost += len(set(want) - set(got))
    errs = etl.execute("SELECT line_no, column_name, message FROM dba.tloaderror e JOIN dba.tdataloads d USING (load_id)"
                       " WHERE d.job_name = %s ORDER BY line_no", (job["job"],)).fetchall()
    assert got == want, (out, errs)
    bad_lines = [i + 2 for i, c in enumerate(cases) if c[2] is None]
    assert sorted({e[0] for e in errs}) == bad_lines, errs
    assert all(e[1] in ("id", "amount", "day", "n") and e[2] for e in errs), errs


def test_links_planted_in_processing_are_never_read(shim_env, rjob, etl, ledger, tmp_path):
    """A symlink to a file only root may read, and a hard link to it, put straight into the
    processing directory: the engine never reads them; they are refused and quarantined."""
    job = rjob()
    secret = tmp_path / "shadow"
    secret.write_bytes(b"id,name,email\r\n1,root:secret,x@example.com\r\n")
    secret.chmod(0o600)
    os.symlink(secret, job["processing"] / f"{job['job']}_planted.csv")
    os.link(secret, job["processing"] / f"{job['job']}_hard.csv")
    run, rc, out = run_feeds()
    ledger.hostile.update({"symlink_in_processing", "hardlink_in_processing"})
    assert rc == 1, out
    check_job(etl, job, ledger, [], files=2, failed={f"{job['job']}_planted.csv": "refused unread",
                                                      f"{job['job']}_hard.csv": "refused unread"})
    assert not etl.execute("SELECT count(*) FROM dba.tloaderror e JOIN dba.tdataloads d USING (load_id)"
                           " WHERE d.job_name = %s AND e.raw_line LIKE '%%secret%%'", (job["job"],)).fetchone()[0]
    assert stat.S_IMODE(os.stat(secret).st_mode) == 0o600
