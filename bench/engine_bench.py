"""Side-by-side timings of loading one realistic CSV file into one typed table.

The file (13 columns) is what clients send: about a third of the rows have a quoted field with
commas or doubled quotes, dates are dd/mm/yyyy and timestamps dd/mm/yyyy HH:MM, text is
non-ASCII, some fields are empty; the job has an e-mail rule and a required column. A dirty
variant has 20% of rows with a bad e-mail address (every reject recorded with line and column).

Methods, each in its own client process (its peak RSS is reported; the server's is not):
raw server-side COPY into the typed table (the floor), Feeds dba.run_import() (append; append of
the dirty file; upsert with every row new; upsert with every row an update, undo kept), a plain
INSERT … ON CONFLICT DO UPDATE of the same updates from a table (the floor for updates),
pgloader, a pandas script (read_csv + to_sql) and a dlt pipeline to PostgreSQL. Each runs
--repeat times on a fresh table after a CHECKPOINT; the median is reported.
"""
import argparse
import csv
import datetime as dt
import json
import os
import random
import shutil
import statistics
import subprocess
import sys
import time
from pathlib import Path

import psycopg
from psycopg import sql

from shims import fsutil

ROOT = Path(__file__).resolve().parent.parent
HEADER = ["id", "name", "email", "city", "amount", "qty", "born", "seen", "active", "note", "code", "score", "country"]
COLUMNS = ("id integer PRIMARY KEY, name text, email text, city text, amount numeric(12,2), qty integer, born date,"
           " seen timestamp, active boolean, note text, code varchar(10), score numeric, country text")
MAP = [{"source": "id", "target": "id", "type": "integer", "required": True},
       {"source": "name", "target": "name"},
       {"source": "email", "target": "email", "rules": {"email": True}},
       {"source": "city", "target": "city"},
       {"source": "amount", "target": "amount", "type": "numeric"},
       {"source": "qty", "target": "qty", "type": "integer"},
       {"source": "born", "target": "born", "type": "date", "format": "DD/MM/YYYY"},
       {"source": "seen", "target": "seen", "type": "timestamp", "format": "DD/MM/YYYY HH24:MI"},
       {"source": "active", "target": "active", "type": "boolean"},
       {"source": "note", "target": "note"},
       {"source": "code", "target": "code"},
       {"source": "score", "target": "score", "type": "numeric"},
       {"source": "country", "target": "country"}]
CITIES = ["São Paulo", "Zürich", "Kraków", "Málaga", "Reykjavík", "Łódź", "Besançon", "Ñuñoa"]
NAMES = ["Ana", "Bjørn", "Zoë", "Élodie", "Jürgen", "Ólafur", "Chloé", "Iñaki"]


def make_file(path: Path, rows: int, seed: int = 7, bad_ratio: float = 0.0, domain: str = "example.com") -> None:
    """The realistic file; with bad_ratio, that share of rows has an e-mail without '@'."""
    rnd = random.Random(seed)
    with open(path, "w", encoding="utf-8", newline="") as f:
        w = csv.writer(f, lineterminator="\n")
        w.writerow(HEADER)
        for i in range(1, rows + 1):
            first = NAMES[i % len(NAMES)]
            kind = i % 6
            name = (f"{first}, {i}" if kind == 0 else f'{first} "el {i}"' if kind == 1 else f"{first} {i}")
            email = f"user{i}@{domain}" if rnd.random() >= bad_ratio else f"user{i}.{domain}"
            born = f"{rnd.randint(1, 28):02d}/{rnd.randint(1, 12):02d}/{rnd.randint(1950, 2005)}"
            seen = f"{rnd.randint(1, 28):02d}/{rnd.randint(1, 12):02d}/2024 {rnd.randint(0, 23):02d}:{rnd.randint(0, 59):02d}"
            w.writerow([i, name, email, CITIES[i % len(CITIES)], f"{rnd.randint(0, 10**8) / 100:.2f}", rnd.randint(0, 999),
                        born, seen, "yes" if i % 2 else "no", "" if i % 4 else f"nota {i}, revisada",
                        f"C{i % 100000}", rnd.randint(0, 10**4) / 10, "" if i % 5 == 0 else "ES"])
    os.chmod(path, 0o644)


def connect():
    return psycopg.connect(autocommit=True)


def fresh(conn, table: str, with_load_id: bool) -> None:
    name = sql.Identifier("bench", table)
    conn.execute(sql.SQL("DROP TABLE IF EXISTS {}").format(name))
    conn.execute(sql.SQL("CREATE TABLE {} ({}{})").format(
        name, sql.SQL(COLUMNS), sql.SQL(", load_id bigint, line_no bigint" if with_load_id else "")))
    conn.execute(sql.SQL("GRANT SELECT, INSERT, UPDATE, DELETE ON {} TO feeds_owner").format(name))


def feeds_job(conn, job: str, table: str, mode: str, proc: Path) -> None:
    conn.execute("DELETE FROM dba.tloaderror WHERE load_id IN (SELECT load_id FROM dba.tdataloads WHERE job_name = %s)", (job,))
    conn.execute("DELETE FROM dba.tloadundo WHERE load_id IN (SELECT load_id FROM dba.tdataloads WHERE job_name = %s)", (job,))
    conn.execute("DELETE FROM dba.tdataloads WHERE job_name = %s", (job,))
    conn.execute("DELETE FROM dba.timportconfig WHERE job_name = %s", (job,))
    proc.mkdir(exist_ok=True)
    os.chmod(proc, 0o777)
    for old in proc.iterdir():
        old.unlink()
    conn.execute("INSERT INTO dba.timportconfig (job_name, file_pattern, inbox_dir, processing_dir, archive_dir, failed_dir,"
                 " target_table, column_map, load_mode, key_columns) VALUES (%s, %s, '/tmp/in', %s, '/tmp/arch', '/tmp/fail',"
                 " %s, %s, %s, %s)",
                 (job, f"^{job}_.*\\.csv$", str(proc), f"bench.{table}", json.dumps(MAP), mode, ["id"] if mode == "upsert" else []))


def register(conn, job: str, path: Path) -> None:
    """As the watcher does after moving a file into processing: dba.run_import reads only
    registered files and checks them one chunk at a time against the chunk digest
    (fsutil.digests_file: both digests in one read, as the watcher computes them)."""
    d = fsutil.digests_file(path)
    conn.execute("SELECT dba.register_file(p_job => %s, p_file_name => %s, p_sha256 => %s, p_size => %s,"
                 " p_chunk_sha256 => %s, p_chunk_size => %s)",
                 (job, path.name, d.sha256, d.size, d.chunk_sha256, d.chunk_size))


# ---------------------------------------------------------------- the child side: one method, timed
def child(method: str, path: str, table: str) -> float:
    if method == "pandas":
        import pandas as pd
        import sqlalchemy
        eng = sqlalchemy.create_engine(
            f"postgresql+psycopg://postgres@/{os.environ['PGDATABASE']}?host={os.environ['PGHOST']}&port={os.environ['PGPORT']}")
        t = time.perf_counter()
        df = pd.read_csv(path, dtype={"code": str}, keep_default_na=False, na_values=[""])
        df["born"] = pd.to_datetime(df["born"], format="%d/%m/%Y")
        df["seen"] = pd.to_datetime(df["seen"], format="%d/%m/%Y %H:%M")
        df["active"] = df["active"].map({"yes": True, "no": False})
        df.to_sql(table, eng, schema="bench", if_exists="append", index=False, method="multi", chunksize=5000)
        return time.perf_counter() - t
    if method == "dlt":
        import dlt
        dest = dlt.destinations.postgres(credentials={
            "database": os.environ["PGDATABASE"], "username": "postgres", "password": "bench",
            "host": "127.0.0.1", "port": int(os.environ["PGPORT"])})
        pipe = dlt.pipeline(pipeline_name="feeds_bench", destination=dest, dataset_name="bench_dlt",
                            pipelines_dir=str(Path(path).parent / "dlt"))

        def rows():
            with open(path, encoding="utf-8", newline="") as f:
                for r in csv.DictReader(f):
                    r["id"] = int(r["id"]); r["qty"] = int(r["qty"])
                    r["born"] = dt.datetime.strptime(r["born"], "%d/%m/%Y").date()
                    r["seen"] = dt.datetime.strptime(r["seen"], "%d/%m/%Y %H:%M")
                    r["active"] = r["active"] == "yes"
                    yield {k: (v if v != "" else None) for k, v in r.items()}
        t = time.perf_counter()
        pipe.run(rows(), table_name=table, write_disposition="append")
        return time.perf_counter() - t
    with connect() as conn:
        t = time.perf_counter()
        if method == "copy":
            conn.execute("SET DateStyle = 'ISO, DMY'")
            conn.execute(sql.SQL("COPY {} FROM {} WITH (FORMAT csv, HEADER)").format(sql.Identifier("bench", table), sql.Literal(path)))
        elif method == "upsert_sql":
            conn.execute(sql.SQL("INSERT INTO bench.{t} SELECT * FROM bench.updates ON CONFLICT (id) DO UPDATE SET {s}").format(
                t=sql.Identifier(table), s=sql.SQL(", ").join(sql.SQL("{0} = EXCLUDED.{0}").format(sql.Identifier(c)) for c in HEADER[1:])))
        else:  # a Feeds job
            rows = conn.execute("SELECT status, rows_inserted + rows_updated, rows_rejected FROM dba.run_import(p_job => %s)", (method,)).fetchall()
            secs = time.perf_counter() - t
            print(json.dumps({"feeds": rows}), file=sys.stderr)
            return secs
        return time.perf_counter() - t


# ---------------------------------------------------------------- the parent side: run, measure, report
def main() -> int:
    ap = argparse.ArgumentParser()
    ap.add_argument("--rows", type=int, default=1_000_000, help="rows of the generated file (smaller for quick runs)")
    ap.add_argument("--repeat", type=int, default=1)
    ap.add_argument("--skip", default="", help="comma-separated methods to leave out (pgloader,pandas,dlt)")
    ap.add_argument("--child", nargs=3, metavar=("METHOD", "FILE", "TABLE"), help=argparse.SUPPRESS)
    args = ap.parse_args()
    if args.child:
        print(child(*args.child))
        return 0
    work = Path(os.environ["FEEDS_BENCH_DIR"])
    clean, dirty, updates = work / "clean.csv", work / "dirty.csv", work / "updates.csv"
    make_file(clean, args.rows)
    make_file(dirty, args.rows, bad_ratio=0.2)
    make_file(updates, args.rows, seed=8, domain="example.org")
    bad = count_bad(dirty)
    skip = set(filter(None, args.skip.split(",")))
    conn = connect()
    conn.execute("CREATE SCHEMA IF NOT EXISTS bench")
    conn.execute("GRANT USAGE ON SCHEMA bench TO feeds_owner")
    results: dict[str, list[tuple[float, float]]] = {}
    notes: list[str] = []

    def measure(label: str, argv: list[str], check=None) -> None:
        conn.execute("CHECKPOINT")
        t = time.perf_counter()
        p = subprocess.Popen(argv, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
        _, status, ru = os.wait4(p.pid, 0)
        wall = time.perf_counter() - t
        out, err = p.stdout.read(), p.stderr.read()
        rc = os.waitstatus_to_exitcode(status)
        problem = f"exit {rc}: {err.strip()[-300:]}" if rc else (check() if check else None)
        if problem:
            notes.append(f"{label}: {problem}")
            print(f"  {label}: not counted ({problem})", flush=True)
            return
        secs = float(out.strip().splitlines()[-1]) if out.strip() and argv[0] == sys.executable else wall
        results.setdefault(label, []).append((secs, ru.ru_maxrss / 1024))
        print(f"  {label}: {secs:.2f} s, client peak RSS {ru.ru_maxrss / 1024:.0f} MB {err.strip()[-200:] if 'feeds' in err else ''}",
              flush=True)

    def me(method, path, table):
        return [sys.executable, __file__, "--child", method, str(path), table]

    def count(table: str, n: int):
        return lambda: None if conn.execute(sql.SQL("SELECT count(*) FROM {}").format(
            sql.Identifier("bench", table))).fetchone()[0] == n else f"bench.{table} does not hold {n} rows"

    url = f"postgresql://postgres@unix:{os.environ['PGHOST']}:{os.environ['PGPORT']}/{os.environ['PGDATABASE']}"
    for i in range(args.repeat):
        fresh(conn, "raw", False)
        measure("raw COPY (typed table)", me("copy", clean, "raw"), count("raw", args.rows))
        # The floor for updates: the same updates from a typed table, one INSERT … ON CONFLICT.
        fresh(conn, "upd", False)
        conn.execute("SET DateStyle = 'ISO, DMY'")
        conn.execute(sql.SQL("COPY bench.upd FROM {} WITH (FORMAT csv, HEADER)").format(sql.Literal(str(clean))))
        conn.execute("DROP TABLE IF EXISTS bench.updates")
        conn.execute("CREATE TABLE bench.updates (LIKE bench.upd)")
        conn.execute(sql.SQL("COPY bench.updates FROM {} WITH (FORMAT csv, HEADER)").format(sql.Literal(str(updates))))
        conn.execute("RESET DateStyle")
        measure("plain INSERT … ON CONFLICT DO UPDATE (all updates)", me("upsert_sql", clean, "upd"))

        for job, mode, label, src, first in (
                ("b_append", "append", "Feeds append", clean, None),
                ("b_dirty", "append", "Feeds append, 20% bad rows (every reject recorded)", dirty, None),
                ("b_upnew", "upsert", "Feeds upsert, all rows new", clean, None),
                ("b_upall", "upsert", "Feeds upsert, all rows updates (undo kept)", updates, clean)):
            fresh(conn, job, True)
            proc = work / job
            feeds_job(conn, job, job, mode, proc)
            if first is not None:  # load the rows once, untimed, then time the updates
                shutil.copyfile(first, proc / f"{job}_0.csv")
                os.chmod(proc / f"{job}_0.csv", 0o644)
                register(conn, job, proc / f"{job}_0.csv")
                conn.execute("SELECT * FROM dba.run_import(p_job => %s)", (job,)).fetchall()
                (proc / f"{job}_0.csv").unlink()
            shutil.copyfile(src, proc / f"{job}_{i}.csv")  # never through this process's memory: its RSS is the child's at fork
            os.chmod(proc / f"{job}_{i}.csv", 0o644)
            register(conn, job, proc / f"{job}_{i}.csv")
            measure(label, me(job, src, job), count(job, args.rows - (bad if src is dirty else 0)))
            way = conn.execute("SELECT load_path, path_note FROM dba.tdataloads WHERE job_name = %s ORDER BY load_id DESC LIMIT 1",
                               (job,)).fetchone()
            notes.append(f"{label}: {way[0]}" + (f" ({way[1]})" if way[1] else ""))

        if "pgloader" not in skip:
            fresh(conn, "pgl", False)
            cmd = work / "pgl.load"
            cmd.write_text(f"""LOAD CSV FROM '{clean}' ({', '.join(HEADER)})
  INTO {url}?bench.pgl ({', '.join(HEADER)})
  WITH skip header = 1, fields optionally enclosed by '"', fields escaped by double-quote, fields terminated by ','
  SET DateStyle to 'ISO, DMY';
""")
            measure("pgloader", ["pgloader", "--quiet", str(cmd)], count("pgl", args.rows))
        if "pandas" not in skip:
            fresh(conn, "pd", False)
            measure("pandas read_csv + to_sql", me("pandas", clean, "pd"), count("pd", args.rows))
        if "dlt" not in skip:
            # dlt connects over TCP, where the throwaway cluster asks for a password.
            conn.execute("ALTER ROLE postgres PASSWORD 'bench'")
            conn.execute("DROP SCHEMA IF EXISTS bench_dlt CASCADE")
            measure("dlt pipeline to PostgreSQL", me("dlt", clean, "rows"),
                    lambda: None if conn.execute("SELECT count(*) FROM bench_dlt.rows").fetchone()[0] == args.rows else "row count")

    floor = statistics.median(s for s, _ in results["raw COPY (typed table)"])
    size = clean.stat().st_size / 1e6
    print(f"\n{args.rows} rows, {size:.0f} MB, median of {args.repeat}")
    print(f"{'method':<56} {'seconds':>8} {'x raw COPY':>10} {'client MB':>9}")
    summary = {}
    for name, runs in results.items():
        med = statistics.median(s for s, _ in runs)
        rss = max(r for _, r in runs)
        summary[name] = {"seconds": med, "ratio": med / floor, "peak_rss_mb": rss}
        print(f"{name:<56} {med:8.2f} {med / floor:10.1f} {rss:9.0f}")
    for n in notes:
        print("note:", n)
    out = ROOT / "bench" / "results"
    out.mkdir(exist_ok=True)
    (out / f"{dt.datetime.now():%Y%m%dT%H%M%S}.json").write_text(
        json.dumps({"rows": args.rows, "mb": size, "repeat": args.repeat, "results": summary, "notes": notes}, indent=2))
    return 0


def count_bad(path: Path) -> int:
    with open(path, encoding="utf-8", newline="") as f:
        return sum(1 for r in csv.DictReader(f) if "@" not in r["email"])


if __name__ == "__main__":
    raise SystemExit(main())
