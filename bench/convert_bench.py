"""Converter benchmark, side by side in one run (issue 12): a generated 100,000 x 12 XLSX and a
60,000-row XLS read by openpyxl read-only + csv.writer, pandas read_excel, python-calamine alone
(the floor: calamine's rows through csv.writer, no output rules), and `feeds convert`; then a
1 GB-expanding bomb through `feeds convert`. Each contender runs in its own child process; seconds
are wall time, peak RSS is the child's (with its children) from /usr/bin/time. The floor and feeds
convert run --repeat times, alternating, and the median is shown: this machine is shared, and the
load moves every number. Prints a Markdown table for bench/README.md.

  .venv/bin/python bench/convert_bench.py [--rows N] [--xls-rows N] [--bomb-gb G] [--repeat K] [--dir DIR]

Never a timed assertion: the numbers are for reading, the ratios for comparing.
"""
from __future__ import annotations

import argparse
import datetime as dt
import os
import subprocess
import sys
import tempfile
import time
import zipfile
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
COLUMNS = ["id", "code", "name", "qty", "price", "ordered", "at", "paid", "note", "ratio", "city", "amount"]
CITIES = ["Madrid", "Zürich", "São Paulo", "Kraków", "New York", "Lyon", "Oslo", "Seoul"]


def row(i: int) -> list:
    return [i, f"{i % 100000:05d}", f"customer {i}", i % 50, round(i * 0.37, 2),
            dt.date(2020, 1, 1) + dt.timedelta(days=i % 2000),
            dt.datetime(2024, 1, 1, 8, 0, 0) + dt.timedelta(seconds=i * 37),
            i % 3 == 0, "note, with \"quotes\"" if i % 7 == 0 else f"plain {i % 13}", i / 7,
            CITIES[i % len(CITIES)], -i * 1.25]


def make_xlsx(path: Path, rows: int) -> None:
    import openpyxl
    wb = openpyxl.Workbook(write_only=True)
    ws = wb.create_sheet("Data")
    ws.append(COLUMNS)
    for i in range(rows):
        ws.append(row(i))
    wb.save(path)


def make_xls(path: Path, rows: int) -> None:
    import xlwt
    wb = xlwt.Workbook()
    ws = wb.add_sheet("Data")
    date_style = xlwt.easyxf(num_format_str="YYYY-MM-DD")
    dt_style = xlwt.easyxf(num_format_str="YYYY-MM-DD hh:mm:ss")
    for c, h in enumerate(COLUMNS):
        ws.write(0, c, h)
    for i in range(rows):
        for c, v in enumerate(row(i)):
            style = date_style if c == 5 else dt_style if c == 6 else None
            ws.write(i + 1, c, v, style) if style else ws.write(i + 1, c, v)
    wb.save(str(path))


def make_bomb(path: Path, gigabytes: float = 1.0) -> None:
    """A sheet that declares A1:XFD1048576 and expands to `gigabytes` of repeated cells."""
    cell = b'<c r="A1" t="n"><v>1</v></c>'
    head = (b'<?xml version="1.0"?><worksheet xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main">'
            b'<dimension ref="A1:XFD1048576"/><sheetData><row r="1">')
    chunk = cell * (1 << 16)
    import openpyxl
    small = path.with_suffix(".small.xlsx")
    openpyxl.Workbook().save(small)
    with zipfile.ZipFile(small) as src, zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED, compresslevel=9) as z:
        for item in src.infolist():
            if item.filename != "xl/worksheets/sheet1.xml":
                z.writestr(item, src.read(item))
        with z.open("xl/worksheets/sheet1.xml", "w", force_zip64=True) as f:
            f.write(head)
            for _ in range(int(gigabytes * (1 << 30)) // len(chunk)):
                f.write(chunk)
            f.write(b"</row></sheetData></worksheet>")
    small.unlink()


CONTENDERS = {
    "openpyxl read-only + csv.writer": """
import csv, sys, openpyxl
wb = openpyxl.load_workbook(sys.argv[1], read_only=True, data_only=True)
with open(sys.argv[2], "w", newline="") as f:
    w = csv.writer(f); n = 0
    for r in wb.worksheets[0].iter_rows(values_only=True):
        w.writerow(r); n += 1
print(n)""",
    "xlrd + csv.writer": """
import csv, sys, xlrd
sh = xlrd.open_workbook(sys.argv[1]).sheet_by_index(0)
with open(sys.argv[2], "w", newline="") as f:
    w = csv.writer(f)
    for i in range(sh.nrows):
        w.writerow(sh.row_values(i))
print(sh.nrows)""",
    "pandas read_excel + to_csv": """
import sys, pandas
df = pandas.read_excel(sys.argv[1], header=None)
df.to_csv(sys.argv[2], index=False, header=False)
print(len(df))""",
    "python-calamine alone (floor)": """
import csv, sys
from python_calamine import CalamineWorkbook
sh = CalamineWorkbook.from_path(sys.argv[1]).get_sheet_by_index(0)
with open(sys.argv[2], "w", newline="") as f:
    w = csv.writer(f); n = 0
    for r in sh.iter_rows():
        w.writerow(r); n += 1
print(n)""",
    "feeds convert": """
import sys
from shims.xls_to_csv import ConvertError, convert
try:
    print(convert(sys.argv[1], sys.argv[2]).rows)
except ConvertError as e:
    sys.exit(f"feeds convert: {e}")""",
}


def measure(python: str, code: str, src: Path, out: Path, env: dict | None = None) -> dict:
    """Run one contender in a fresh child under /usr/bin/time: wall seconds, its peak RSS (%M; the
    RSS of a child forked from this process and exec'd would start from this process's own), the
    rows it reported, the last line of its stderr."""
    with tempfile.TemporaryFile("w+") as stdout, tempfile.NamedTemporaryFile("w+") as rss, \
            tempfile.TemporaryFile("w+") as stderr:
        started = time.monotonic()
        p = subprocess.run(["/usr/bin/time", "-o", rss.name, "-f", "%M", python, "-c", code, str(src), str(out)],
                           stdout=stdout, stderr=stderr, cwd=ROOT, env={**os.environ, "PYTHONPATH": str(ROOT), **(env or {})})
        seconds = time.monotonic() - started
        stdout.seek(0)
        stderr.seek(0)
        lines_out, lines_err = stdout.read().strip().splitlines(), stderr.read().strip().splitlines()
        rss_kb = int((rss.read().strip().splitlines() or ["0"])[-1])
    return {"seconds": seconds, "rc": p.returncode, "rows": (lines_out or [""])[-1], "err": (lines_err or [""])[-1],
            "rss_mb": rss_kb / 1024}


def main(argv=None) -> int:
    p = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    p.add_argument("--rows", type=int, default=100_000, help="rows of the XLSX (default 100000)")
    p.add_argument("--xls-rows", type=int, default=60_000, help="rows of the XLS (default 60000)")
    p.add_argument("--bomb-gb", type=float, default=1.0, help="how far the bomb expands (default 1 GB)")
    p.add_argument("--dir", default="/tmp/feeds-convert-bench", help="where the generated files are kept")
    p.add_argument("--repeat", type=int, default=5, help="runs of the floor and of feeds convert (median; default 5)")
    args = p.parse_args(argv)
    if not Path("/usr/bin/time").exists():
        sys.exit("convert_bench: /usr/bin/time measures peak memory; install it: apt-get install time")
    work = Path(args.dir)
    work.mkdir(parents=True, exist_ok=True)
    xlsx = work / f"bench_{args.rows}x12.xlsx"
    xls = work / f"bench_{args.xls_rows}x12.xls"
    bomb = work / f"bomb_{args.bomb_gb:g}gb.xlsx"
    for path, make, n in ((xlsx, make_xlsx, args.rows), (xls, make_xls, args.xls_rows), (bomb, make_bomb, args.bomb_gb)):
        if not path.exists():
            print(f"generating {path.name} …", file=sys.stderr, flush=True)
            tmp = path.with_name("." + path.name)
            make(tmp, n)
            tmp.rename(path)
    python = sys.executable
    results = []
    for src, kind in ((xlsx, "xlsx"), (xls, "xls")):
        names = [n for n in CONTENDERS if not ((kind == "xlsx" and n.startswith("xlrd")) or
                                               (kind == "xls" and n.startswith("openpyxl")))]
        runs: dict[str, list[dict]] = {n: [] for n in names}
        for name in names[:2]:  # the slow baselines once
            runs[name].append(measure(python, CONTENDERS[name], src, work / f"out_{kind}.csv"))
        for _ in range(args.repeat):  # the floor and feeds convert alternate, so both meet the same load
            for name in names[2:]:
                runs[name].append(measure(python, CONTENDERS[name], src, work / f"out_{kind}.csv"))
        for name in names:
            r = sorted(runs[name], key=lambda r: r["seconds"])[len(runs[name]) // 2]  # the median run
            r["spread"] = (min(x["seconds"] for x in runs[name]), max(x["seconds"] for x in runs[name]))
            results.append((kind, src, name, r))
            print(f"{kind} {name}: {[round(x['seconds'], 2) for x in runs[name]]} s, {r['rss_mb']:.0f} MB, "
                  f"rows {r['rows']} {r['err']}", file=sys.stderr, flush=True)
    bombs = [("as it is (its zip entry declares the size)", measure(python, CONTENDERS["feeds convert"], bomb,
                                                                        work / "out_bomb.csv")),
             ("with FEEDS_CONVERT_MAX_BYTES=2 GB, so the scan expands it until a limit holds",
              measure(python, CONTENDERS["feeds convert"], bomb, work / "out_bomb.csv",
                      {"FEEDS_CONVERT_MAX_BYTES": str(2 << 30)}))]
    print(table(results, bomb, bombs, args))
    return 0


def table(results, bomb: Path, bombs: list, args) -> str:
    lines = ["| file | reader | seconds (min–max) | rows/s | peak RSS MB | × faster than openpyxl/xlrd | × calamine alone |",
             "|---|---|---:|---:|---:|---:|---:|"]
    for kind in ("xlsx", "xls"):
        mine = [r for r in results if r[0] == kind]
        base = next((r[3]["seconds"] for r in mine if r[2].split()[0] in ("openpyxl", "xlrd")), float("nan"))
        floor = next((r[3]["seconds"] for r in mine if r[2].startswith("python-calamine")), float("nan"))
        for _, src, name, r in mine:
            rows = int(r["rows"]) if r["rows"].isdigit() else 0
            rate = f"{rows / r['seconds']:,.0f}" if rows else f"failed: {r['err'][:60]}"
            low, high = r["spread"]
            spread = f" ({low:.2f}–{high:.2f})" if high > low else ""
            lines.append(f"| {src.name} ({src.stat().st_size / 1e6:.1f} MB) | {name} | {r['seconds']:.2f}{spread} | {rate} | "
                         f"{r['rss_mb']:.0f} | {base / r['seconds']:.1f} | {r['seconds'] / floor:.2f} |")
    lines.append("")
    lines.append(f"Bomb: {bomb.name} ({bomb.stat().st_size / 1e6:.1f} MB on disk, expands to {args.bomb_gb:g} GB, "
                 "declares A1:XFD1048576), through feeds convert:")
    lines.append("")
    for how, r in bombs:
        message = r["err"].replace("|", "/").replace(str(bomb), bomb.name)
        lines.append(f"- {how}: exit {r['rc']} in {r['seconds']:.2f} s, peak RSS {r['rss_mb']:.0f} MB: `{message[:260]}`")
    return "\n".join(lines)


if __name__ == "__main__":
    sys.exit(main())
