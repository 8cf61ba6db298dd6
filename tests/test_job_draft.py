"""feeds job draft FILE: the database drafts a job from a sample (dialect, types, formats, rules,
key), prints it as an SQL script with a dry run under it, and --apply creates it. The files live
in pytest's private temporary directory (the server cannot read them: the shim sends the sample),
except where a drafted job then loads a file through the real engine."""
import datetime as dt
import hashlib
import os
import re
import shutil
import subprocess
import uuid

import pytest

from conftest import ROOT
from shims import fsutil
from psycopg import sql


def feeds_draft(*args, user="postgres", stdin=subprocess.DEVNULL):
    env = dict(os.environ, PGUSER=user)
    return subprocess.run([str(ROOT / "bin/feeds"), "job", "draft", *map(str, args)], env=env,
                          capture_output=True, text=True, stdin=stdin)


@pytest.fixture
def jobs(admin):
    """Unique job names; the jobs and tables a test applies are removed afterwards."""
    names = []

    def new(stem="dr"):
        names.append(f"{stem}_{uuid.uuid4().hex[:8]}")
        return names[-1]
    yield new
    for name in names:
        admin.execute("DELETE FROM dba.tdataloads WHERE job_name = %s", (name,))
        admin.execute("DELETE FROM dba.timportconfig WHERE job_name = %s", (name,))
        admin.execute(sql.SQL("DROP TABLE IF EXISTS {}").format(sql.Identifier("public", name)))


def job_exists(admin, name):
    return admin.execute("SELECT count(*) FROM dba.timportconfig WHERE job_name = %s", (name,)).fetchone()[0] == 1


def test_plain_csv_drafts_a_script_and_changes_nothing(tmp_path, admin, jobs):
    name = jobs()
    f = tmp_path / "customers_20261102.csv"
    f.write_text("id,name,email,signup_date,status\n" + "".join(
        f"{i},Person {i},p{i}@example.com,2026-01-{i:02d},{'new' if i % 2 else 'old'}\n" for i in range(1, 9)))
    r = feeds_draft(f, "--name", name, user="feeds_etl")
    assert r.returncode == 0, r.stderr
    out = r.stdout
    assert "-- dialect: UTF8, line endings LF, delimiter ',', quote '\"', header on line 1" in out
    assert f"CREATE TABLE public.{name} (\n    id integer NOT NULL,\n    name text NOT NULL," in out
    assert "    signup_date date NOT NULL,\n    status text NOT NULL,\n    load_id bigint NOT NULL,\n    line_no bigint\n);" in out
    assert f"GRANT SELECT, INSERT, UPDATE, DELETE ON public.{name} TO feeds_owner;" in out
    assert r"E'^customers_\\d{8}\\.csv$'" in out
    assert '{"source": "email", "target": "email", "required": true, "rules": {"email": true, "max_length": 50}}' in out
    assert '"rules": {"allowed": ["new", "old"]}' in out
    assert "-- candidate key: id (unique and never empty in the sample)" in out
    assert out.rstrip().endswith("through this job: 8 rows read, 8 would load, 0 would be rejected")
    assert not job_exists(admin, name), "a draft without --apply creates nothing"


def test_semicolon_latin1_file_with_day_first_dates_and_decimal_commas(tmp_path, jobs):
    f = tmp_path / "ventas_7.txt"
    f.write_bytes("Código;Fecha;Importe;Nota\r\nA1;25/12/2026;1.234,50;café\r\nA2;01/02/2026;12,00;niño\r\n"
                  "A3;13/02/2026;7,5;\r\n".encode("latin-1"))
    r = feeds_draft(f, "--name", jobs())
    assert r.returncode == 0, r.stderr
    assert "-- dialect: LATIN1, line endings CRLF, delimiter ';'" in r.stdout
    assert '{"source": "Fecha", "target": "fecha", "type": "date", "format": "DD/MM/YYYY", "required": true}' in r.stdout
    assert re.search(r"^    importe text NOT NULL,  -- decimal commas \(1\.234,56\): the engine reads numbers with a point only",
                     r.stdout, re.M)
    assert "'txt'" in r.stdout and "'LATIN1'" in r.stdout
    assert "3 rows read, 3 would load, 0 would be rejected" in r.stdout


def test_preamble_no_header_and_ambiguous_dates(tmp_path, jobs):
    pre = tmp_path / "pre.csv"
    pre.write_text("Stock report\nPrinted 2026-11-02 by the client\nid,qty\n1,5\n2,7\n")
    r = feeds_draft(pre, "--name", jobs())
    assert r.returncode == 0, r.stderr
    assert "header on line 3, 2 line(s) skipped before it" in r.stdout
    assert "'t', 2, 'public." in r.stdout  # has_header, skip_lines in the job row

    nohead = tmp_path / "nohead.csv"
    nohead.write_text("1,Ann,2026-01-05\n2,Bob,2026-01-06\n")
    r = feeds_draft(nohead, "--name", jobs())
    assert "no header, 0 line(s) skipped" in r.stdout
    assert "    column_1 integer NOT NULL,\n    column_2 text NOT NULL," in r.stdout
    assert "2 rows read, 2 would load" in r.stdout

    amb = tmp_path / "amb.csv"
    amb.write_text("id,day\n1,01/02/2026\n2,03/04/2026\n")
    r = feeds_draft(amb, "--name", jobs())
    assert ("    day date NOT NULL,  -- DD/MM/YYYY; ambiguous: every day and month is 12 or less in the sample; "
            "read as day first (the default), MM/DD/YYYY fits too") in r.stdout


def test_xlsx_is_converted_and_drafted_under_its_own_name(tmp_path, jobs):
    import openpyxl
    wb = openpyxl.Workbook()
    ws = wb.active
    ws.append(["Order No", "Customer", "Amount", "Ordered"])
    for i in range(1, 6):
        ws.append([f"ORD-{i}", f"Client {i % 2}", 10.5 * i, dt.date(2026, 11, i)])
    f = tmp_path / "orders_20261102.xlsx"
    wb.save(f)
    r = feeds_draft(f, "--name", jobs(), "--mode", "upsert")
    assert r.returncode == 0, r.stderr
    assert r"E'^orders_\\d{8}\\.xlsx$', 'xlsx'" in r.stdout
    assert "    amount numeric NOT NULL," in r.stdout
    assert "    ordered date NOT NULL," in r.stdout
    assert re.search(r"CONSTRAINT \w+_pkey PRIMARY KEY \(order_no\)", r.stdout)
    assert "'upsert', '{order_no}'" in r.stdout
    assert "5 rows read, 5 would load, 0 would be rejected" in r.stdout


def test_applied_draft_loads_every_row_through_the_engine(workdir, admin, jobs):
    name = jobs()
    sample = workdir / "visits_20261102.csv"
    sample.write_text("visit_id;visitor;email;visited_at;pages;returning\n" + "".join(
        f"{i};\"Doe; J{i}\";j{i}@example.org;{i % 28 + 1:02d}/11/2026 10:{i % 60:02d};{i * 3};{'yes' if i % 3 else 'no'}\n"
        for i in range(1, 41)))
    base = workdir / name
    r = feeds_draft(sample, "--name", name, "--table", f"public.{name}", "--base", base, "--apply", "--yes")
    assert r.returncode == 0, r.stderr
    assert '"format": "DD/MM/YYYY HH24:MI"' in r.stdout
    for d in ("inbox", "processing", "archive", "failed"):
        assert (base / d).is_dir(), f"--apply creates {d}/"
    arrived = base / "processing" / "visits_20261109.csv"
    shutil.copy(sample, arrived)
    fsutil.set_perms(arrived)
    data = arrived.read_bytes()  # registered as the watcher would: run_import reads only that
    admin.execute("SELECT dba.register_file(%s, %s, %s, %s)", (name, arrived.name, hashlib.sha256(data).hexdigest(), len(data)))
    rows = admin.execute("SELECT status, rows_read, rows_inserted, rows_rejected, message FROM dba.run_import(p_job => %s)",
                         (name,)).fetchall()
    assert [r[:4] for r in rows] == [("loaded", 40, 40, 0)], rows
    assert admin.execute(sql.SQL("SELECT visitor, pages, returning_, visited_at FROM {} WHERE visit_id = 7").format(
        sql.Identifier("public", name))).fetchone() == \
        ("Doe; J7", 21, True, dt.datetime(2026, 11, 8, 10, 7))


def test_hostile_header_drafts_safe_names_and_the_script_runs(tmp_path, admin, jobs):
    name = jobs()
    f = tmp_path / "hostile.csv"
    f.write_text('"Order";user;"a""b";;select;Name;name;"; DROP TABLE x;--";123abc;line_no;"Fecha Envío"\n'
                 "1;2;3;4;5;6;7;8;9;10;x\n2;2;3;4;5;6;7;8;9;10;y\n")
    r = feeds_draft(f, "--name", name, "--apply", "--yes")
    assert r.returncode == 0, r.stderr
    cols = [c for (c,) in admin.execute(
        "SELECT attname FROM pg_attribute WHERE attrelid = %s::regclass AND attnum > 0 ORDER BY attnum",
        (f"public.{name}",))]
    assert cols == ["order_", "user_", "a_b", "column_4", "select_", "name", "name_2", "drop_table_x", "c_123abc",
                    "line_no_", "fecha_envio", "load_id", "line_no"]
    assert job_exists(admin, name)


def test_apply_without_a_terminal_needs_yes(tmp_path, admin, jobs):
    name = jobs()
    f = tmp_path / "a.csv"
    f.write_text("id\n1\n2\n")
    r = feeds_draft(f, "--name", name, "--apply")
    assert r.returncode == 2
    assert "--apply needs a terminal to confirm, or --yes" in r.stderr
    assert not job_exists(admin, name)


def test_a_script_that_fails_when_applied_creates_nothing(tmp_path, admin, jobs):
    name = jobs()
    f = tmp_path / "a.csv"
    f.write_text("id\n1\n2\n")
    assert feeds_draft(f, "--name", name, "--apply", "--yes").returncode == 0
    admin.execute(sql.SQL("DROP TABLE {} CASCADE").format(sql.Identifier("public", name)))
    admin.execute(sql.SQL("CREATE TABLE {} (x int)").format(sql.Identifier("public", f"{name}_other")))
    try:
        r = feeds_draft(f, "--name", name, "--apply", "--yes")  # the job row exists already
        assert r.returncode == 1
        assert "the script failed, nothing was created" in r.stderr and "[23505]" in r.stderr
        assert admin.execute("SELECT to_regclass(%s)", (f"public.{name}",)).fetchone()[0] is None
    finally:
        admin.execute(sql.SQL("DROP TABLE {}").format(sql.Identifier("public", f"{name}_other")))


def test_large_file_is_sampled_and_says_so(tmp_path, jobs):
    f = tmp_path / "big_1.csv"
    with open(f, "w") as out:
        out.write("id,code,amount\n")
        for i in range(1, 100001):
            out.write(f"{i},C{i % 7},{i}.25\n")
    assert f.stat().st_size > 1_000_000
    r = feeds_draft(f, "--name", jobs())
    assert r.returncode == 0, r.stderr
    m = re.search(r"\(\d+ bytes; sampled: (\d+) whole lines from the first 128 KiB and 8 pieces spread over the rest\)", r.stdout)
    assert m and 1000 < int(m.group(1)) < 20000, r.stdout[:300]
    assert f"-- dry run of the sample ({m.group(1)} lines; line numbers are the sample's)" in r.stdout
    assert "    amount numeric NOT NULL," in r.stdout


def test_refusals_are_clear(tmp_path):
    r = feeds_draft(tmp_path / "missing.csv")
    assert r.returncode == 2 and "not a readable file" in r.stderr
    f = tmp_path / "a.csv"
    f.write_text("a,b\n1,1\n1,1\n")
    r = feeds_draft(f, "--mode", "upsert")
    assert r.returncode == 2
    assert "no column is unique and never empty in the sample, so upsert has no key [22023]" in r.stderr
