"""Side-by-side timings of loading one CSV file into one typed table.

Baselines: a raw server-side COPY (the floor), pgloader, and a pandas script (read_csv, to_sql).
Feeds: dba.run_import() in append mode and in upsert mode (all rows new, then all rows
updated), and in append mode with the direct path off (the staged, row-by-row path). Each is run --repeat times on a fresh table; the median is reported with its ratio to
raw COPY. Issue 3 sets the targets: append <= 2.0x, upsert <= 4.0x.
"""
import argparse
import datetime as dt
import json
import os
import random
import shutil
import statistics
import subprocess
import time
from pathlib import Path

import psycopg
from psycopg import sql

ROOT = Path(__file__).resolve().parent.parent
COLUMNS = "id integer PRIMARY KEY, name text, email text, amount numeric, sold_at timestamp"
MAP = [
    {"source": "id", "target": "id", "type": "integer", "required": True},
    {"source": "name", "target": "name"},
    {"source": "email", "target": "email"},
    {"source": "amount", "target": "amount", "type": "numeric"},
    {"source": "sold_at", "target": "sold_at", "type": "timestamp", "format": "ISO"},
]


def make_file(path: Path, rows: int, seed: int = 7, quote: str = "") -> None:
    rnd = random.Random(seed)
    with open(path, "w") as f:
        f.write("id,name,email,amount,sold_at\n")
        for i in range(rows):
            f.write(f"{i},{quote}Name {i}{quote},user{i}@example.com,{rnd.randint(0, 10**7) / 100},"
                    f"2020-{rnd.randint(1, 12):02d}-{rnd.randint(1, 28):02d} {rnd.randint(0, 23):02d}:{rnd.randint(0, 59):02d}:00\n")
    os.chmod(path, 0o644)


def timed(fn, conn=None) -> float:
    """Seconds fn takes. With conn, a CHECKPOINT first: the pages the previous method dirtied
    are written before the clock starts, not during the next method's run."""
    if conn is not None:
        conn.execute("CHECKPOINT")
    t = time.perf_counter()
    fn()
    return time.perf_counter() - t


def main() -> int:
    ap = argparse.ArgumentParser()
    ap.add_argument("--rows", type=int, default=200_000)
    ap.add_argument("--repeat", type=int, default=3)
    args = ap.parse_args()
    work = Path(os.environ["FEEDS_BENCH_DIR"])
    src = work / "source.csv"
    make_file(src, args.rows)
    quoted = work / "quoted.csv"  # the same rows with every name in quotes
    make_file(quoted, args.rows, quote='"')
    conn = psycopg.connect(autocommit=True)
    conn.execute("CREATE SCHEMA bench")
    conn.execute("GRANT USAGE ON SCHEMA bench TO feeds_owner")
    results: dict[str, list[float]] = {}

    def fresh(table: str, with_load_id: bool = False) -> str:
        name = sql.Identifier("bench", table)
        conn.execute(sql.SQL("DROP TABLE IF EXISTS {}").format(name))
        conn.execute(sql.SQL("CREATE TABLE {} ({})").format(
            name, sql.SQL(COLUMNS + (", load_id bigint" if with_load_id else ""))))
        conn.execute(sql.SQL("GRANT SELECT, INSERT, UPDATE, DELETE ON {} TO feeds_owner").format(name))
        return f"bench.{table}"

    def count(table: str) -> int:
        return conn.execute(sql.SQL("SELECT count(*) FROM {}").format(sql.Identifier(*table.split(".")))).fetchone()[0]

    def record(name, seconds):
        results.setdefault(name, []).append(seconds)

    for i in range(args.repeat):
        # raw COPY, the floor
        t = fresh("raw")
        copy = sql.SQL("COPY {} FROM {} WITH (FORMAT csv, HEADER)").format(sql.Identifier("bench", "raw"), sql.Literal(str(src)))
        record("raw COPY (typed table)", timed(lambda: conn.execute(copy), conn))

        # pgloader
        if shutil.which("pgloader"):
            t = fresh("pgl")
            cmd = ["pgloader", "--quiet", "--type", "csv", "--field", "id,name,email,amount,sold_at",
                   "--with", "skip header = 1", "--with", "fields terminated by ','", str(src),
                   f"pgsql://postgres@unix:{os.environ['PGHOST']}:{os.environ['PGPORT']}/{os.environ['PGDATABASE']}?bench.pgl"]
            secs = timed(lambda: subprocess.run(cmd, capture_output=True, text=True, check=False), conn)
            n = count("bench.pgl")
            if n == args.rows:
                record("pgloader", secs)

        # pandas script
        try:
            import pandas as pd
            import sqlalchemy
            t = fresh("pd")
            eng = sqlalchemy.create_engine(
                f"postgresql+psycopg://postgres@/{os.environ['PGDATABASE']}?host={os.environ['PGHOST']}&port={os.environ['PGPORT']}")

            def pandas_load():
                df = pd.read_csv(src, parse_dates=["sold_at"])
                df.to_sql("pd", eng, schema="bench", if_exists="append", index=False, method="multi", chunksize=5000)
            record("pandas read_csv + to_sql", timed(pandas_load, conn))
            eng.dispose()
        except ImportError:
            pass

        # Feeds: append and upsert (a clean file takes the direct path); append of the file with
        # quoted names (a quote keeps a file off the direct path: one pass over the staged
        # lines); append with feeds.direct_path off (full validation, the way of a file with a
        # bad row).
        for mode, label, direct, source in (("append", "append", True, src), ("upsert", "upsert", True, src),
                                            ("append", "append, quoted names (one pass)", True, quoted),
                                            ("append", "append, full validation", False, src)):
            conn.execute("SELECT set_config('feeds.direct_path', %s, false)", ("on" if direct else "off",))
            t = fresh(f"feeds_{mode}", with_load_id=True)
            conn.execute("DELETE FROM dba.tdataloads WHERE job_name LIKE 'bench_%'")
            conn.execute("DELETE FROM dba.timportconfig WHERE job_name LIKE 'bench_%'")
            proc = work / f"proc_{mode}"
            proc.mkdir(exist_ok=True)
            os.chmod(proc, 0o777)
            for old in proc.iterdir():
                old.unlink()
            conn.execute(
                "INSERT INTO dba.timportconfig (job_name, file_pattern, inbox_dir, processing_dir, archive_dir,"
                " failed_dir, target_table, column_map, load_mode, key_columns)"
                " VALUES (%s, '^bench_.*\\.csv$', '/tmp/in', %s, '/tmp/arch', '/tmp/fail', %s, %s, %s, %s)",
                (f"bench_{mode}", str(proc), t, json.dumps(MAP), mode, ["id"] if mode == "upsert" else []))
            f1 = proc / f"bench_{i}_a.csv"
            shutil.copy(source, f1)
            os.chmod(f1, 0o644)
            secs = timed(lambda: conn.execute("SELECT * FROM dba.run_import(p_job => %s)", (f"bench_{mode}",)).fetchall(), conn)
            assert count(t) == args.rows
            record(f"Feeds run_import {label}", secs)
            if mode == "upsert":
                f1.unlink()
                f2 = proc / f"bench_{i}_b.csv"
                with open(src) as a, open(f2, "w") as b:
                    for line in a:
                        b.write(line.replace("@example.com", "@example.org"))
                os.chmod(f2, 0o644)
                secs = timed(lambda: conn.execute("SELECT * FROM dba.run_import(p_job => %s)", (f"bench_{mode}",)).fetchall(), conn)
                record("Feeds run_import upsert (all updates)", secs)

    floor = statistics.median(results["raw COPY (typed table)"])
    print(f"\n{args.rows} rows, {src.stat().st_size / 1e6:.1f} MB, median of {args.repeat}")
    print(f"{'method':<52} {'seconds':>8} {'x raw COPY':>10}")
    summary = {}
    for name, times in results.items():
        med = statistics.median(times)
        summary[name] = {"seconds": med, "ratio": med / floor}
        print(f"{name:<52} {med:8.2f} {med / floor:10.1f}")
    out = ROOT / "bench" / "results"
    out.mkdir(exist_ok=True)
    (out / f"{dt.datetime.now():%Y%m%dT%H%M%S}.json").write_text(
        json.dumps({"rows": args.rows, "repeat": args.repeat, "results": summary}, indent=2))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
