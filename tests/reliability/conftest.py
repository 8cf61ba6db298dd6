"""The reliability suite's fixtures: jobs with any columns, one ledger of what the suite checked,
and the line it prints at the end:
    reliability: F faults, H hostile inputs, R rows checked, 0 rows lost, 0 files lost
Every figure is counted by the checks themselves (ledger.fault(), ledger.hostile(), check_job()).
"""
from __future__ import annotations

import collections
import io
import json
import os
import uuid
import zipfile
from dataclasses import dataclass, field
from pathlib import Path

import psycopg
import pytest
from psycopg import sql

from test_watcher import shim_env  # noqa: F401  (fixture: the shims connect as feeds_etl)


@dataclass
class Ledger:
    faults: set = field(default_factory=set)
    hostile: set = field(default_factory=set)
    rows_checked: int = 0
    rows_lost: int = 0
    files_checked: int = 0
    files_lost: int = 0

    def line(self) -> str:
        return (f"reliability: {len(self.faults)} faults, {len(self.hostile)} hostile inputs, "
                f"{self.rows_checked} rows checked, {self.rows_lost} rows lost, {self.files_lost} files lost")


LEDGER = Ledger()


@pytest.fixture
def ledger() -> Ledger:
    return LEDGER


def pytest_terminal_summary(terminalreporter):
    if LEDGER.faults or LEDGER.hostile or LEDGER.rows_checked:
        terminalreporter.write_line(LEDGER.line())


@pytest.fixture
def rjob(dsn, workdir):
    """rjob(columns={'id': 'integer', …}, file_type='csv', mode='append', keys=(), sql_types={…})
    -> dict(job, table, inbox, processing, archive, failed, columns). The target table has the
    columns (SQL type from sql_types, else the map type) and load_id; jobs are disabled after."""
    made = []

    def make(columns=None, file_type="csv", mode="append", keys=(), sql_types=None, required=("id",), dirs=None,
             options=None):
        columns = columns or {"id": "integer", "name": "text", "email": "text"}
        sql_types = sql_types or {}
        tag = "r" + uuid.uuid4().hex[:10]
        base = workdir / tag
        paths = {k: (dirs or {}).get(k, base / k) for k in ("inbox", "processing", "archive", "failed")}
        for d in paths.values():
            d.mkdir(parents=True, mode=0o2770, exist_ok=True)
        ext = {"csv": r"\.csv", "xlsx": r"\.xlsx"}[file_type]
        cmap = [{"source": c, "target": c, "type": t, **({"required": True} if c in required else {}),
                 **(options or {}).get(c, {})} for c, t in columns.items()]
        with psycopg.connect(dsn + " user=postgres", autocommit=True) as admin:
            admin.execute("CREATE SCHEMA IF NOT EXISTS feeds_pytest AUTHORIZATION feeds_owner")
            cols = sql.SQL(", ").join(sql.SQL("{} {}").format(sql.Identifier(c), sql.SQL(sql_types.get(c, t)))
                                      for c, t in columns.items())
            table = sql.Identifier("feeds_pytest", tag)
            admin.execute(sql.SQL("CREATE TABLE {} ({}, load_id bigint)").format(table, cols))
            if keys:
                admin.execute(sql.SQL("CREATE UNIQUE INDEX ON {} ({})").format(
                    table, sql.SQL(", ").join(map(sql.Identifier, keys))))
            admin.execute(sql.SQL("ALTER TABLE {} OWNER TO feeds_owner").format(table))
            admin.execute("GRANT USAGE ON SCHEMA feeds_pytest TO feeds_etl")
            admin.execute(sql.SQL("GRANT SELECT ON {} TO feeds_etl").format(table))
            admin.execute(
                "INSERT INTO dba.timportconfig (job_name, file_pattern, inbox_dir, processing_dir, archive_dir,"
                " failed_dir, file_type, target_table, column_map, load_mode, key_columns)"
                " VALUES (%s, %s, %s, %s, %s, %s, %s, %s, %s, %s, %s)",
                (tag, rf"^{tag}_.*{ext}$", *(str(paths[k]) for k in ("inbox", "processing", "archive", "failed")),
                 file_type, f"feeds_pytest.{tag}", json.dumps(cmap), mode, list(keys)))
        made.append(tag)
        return {"job": tag, "table": f"feeds_pytest.{tag}", "columns": list(columns), **paths}

    yield make
    with psycopg.connect(dsn + " user=postgres", autocommit=True) as admin:
        for tag in made:
            admin.execute("UPDATE dba.timportconfig SET enabled = false WHERE job_name = %s", (tag,))


def table_rows(conn, job) -> list[tuple]:
    q = sql.SQL("SELECT {} FROM {}").format(sql.SQL(", ").join(map(sql.Identifier, job["columns"])),
                                           sql.Identifier(*job["table"].split(".")))
    return conn.execute(q).fetchall()


def where_files_are(job) -> collections.Counter:
    """Every file name Feeds keeps for the job: in the inbox, processing, failed/ (not the
    .reason.txt) and inside the archive zips."""
    names = collections.Counter()
    for k in ("inbox", "processing", "failed"):
        for p in job[k].iterdir():
            if not p.name.endswith(".reason.txt") and not p.name.startswith("."):
                names[p.name] += 1
    for z in job["archive"].iterdir():
        if z.suffix == ".zip":
            with zipfile.ZipFile(z) as zf:
                names.update(n for n in zf.namelist() if not n.endswith(".csv") or not n[:-4].endswith((".xlsx",)))
    return names


def check_job(conn, job, ledger: Ledger, good: list[tuple], files: int, failed: dict | None = None,
              rejects: dict | None = None) -> None:
    """What a user checks after a run: each good row in the table exactly once, every file kept
    somewhere (inbox, processing, failed/ or an archive), each failed file and rejected row
    recorded with its reason (failed: name -> regex of the message; rejects: name -> count)."""
    got = collections.Counter(table_rows(conn, job))
    want = collections.Counter(good)
    ledger.rows_checked += sum(want.values())
    ledger.rows_lost += sum((want - got).values())
    kept = where_files_are(job)
    ledger.files_checked += files
    ledger.files_lost += max(0, files - sum(kept.values()))
    missing, extra = want - got, got - want
    assert got == want, (f"rows differ: {sum(missing.values())} missing (e.g. {list(missing)[:3]}),"
                         f" {sum(extra.values())} extra (e.g. {list(extra)[:3]})")
    assert sum(kept.values()) == files, f"files kept: {sorted(kept)}"
    loads = conn.execute("SELECT file_name, status, error_sqlstate, error_message, rows_rejected, load_id"
                         " FROM dba.tdataloads WHERE job_name = %s ORDER BY load_id", (job["job"],)).fetchall()
    for name, pattern in (failed or {}).items():
        mine = [r for r in loads if r[0] == name and r[1] == "failed"]
        assert len(mine) == 1, f"{name}: one failed load expected, got {[(r[0], r[1]) for r in loads]}"
        assert mine[0][3] and __import__("re").search(pattern, mine[0][3]), f"{name}: {mine[0][2]} {mine[0][3]}"
    for name, n in (rejects or {}).items():
        [load] = [r for r in loads if r[0] == name and r[1] == "loaded_with_rejects"] or [None]
        assert load is not None, f"{name}: {[(r[0], r[1], r[3]) for r in loads if r[0] == name]}"
        errs = conn.execute("SELECT line_no, column_name, message FROM dba.tloaderror WHERE load_id = %s",
                            (load[5],)).fetchall()
        assert load[4] == n and len({e[0] for e in errs}) == n and all(e[0] and e[2] for e in errs), (name, errs)


def run_feeds(ledger=None, **kw):
    """One `feeds run` in this process; returns (run uuid, exit code, output)."""
    from shims import runner
    out = io.StringIO()
    reports = kw.pop("report_dir", Path(os.environ["FEEDS_STATE_DIR"]).parent / "reports")
    run, rc = runner.run(settle=kw.pop("settle", 0.2), report_dir=reports, echo=out, **kw)
    return run, rc, out.getvalue()


def feeds_env(**extra) -> dict:
    return dict(os.environ, **extra)


ROOT = Path(__file__).resolve().parent.parent.parent
FEEDS = str(ROOT / "bin" / "feeds")
