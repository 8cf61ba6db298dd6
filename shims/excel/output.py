"""Writing the CSV in two passes, so memory stays at one row whatever the reader: the first pass
writes rows trimmed of trailing empty cells to a temporary file (holding back empty rows until a
non-empty one follows) and notes each line's length and number of cells; the second pads the short
lines to the widest, applies what a pre-scan found that the reader did not give (zero padding,
midnight date-times, error cells), and writes the output atomically."""
from __future__ import annotations

import csv
import io
import re
import shutil
import time
from array import array
from dataclasses import dataclass, field
from pathlib import Path
from typing import Iterator

from shims import fsutil
from shims.excel.common import Limits, a1


@dataclass
class Table:
    """What the first pass wrote: per line its byte length and its number of cells."""
    lengths: array = field(default_factory=lambda: array("Q"))
    counts: array = field(default_factory=lambda: array("I"))
    width: int = 0
    cells: int = 0


@dataclass
class Fixups:
    """What a pre-scan found, 1-based: error cells (row, col, text), zero-padding widths and
    date-time cells at midnight (the reader gave their date)."""
    errors: list[tuple[int, int, str]] = field(default_factory=list)
    zeros: dict[tuple[int, int], int] = field(default_factory=dict)
    midnight: set[tuple[int, int]] = field(default_factory=set)

    def rows(self) -> set[int]:
        return {r for r, _ in self.zeros} | {r for r, _ in self.midnight} | {r for r, _, _ in self.errors}


def _line_writer() -> tuple[csv.writer, list[str]]:
    lines: list[str] = []
    sink = type("Sink", (), {})()
    sink.write = lines.append  # csv.writer writes one whole line per row
    return csv.writer(sink, lineterminator="\r\n"), lines


def write_rows(rows: Iterator[list[str]], tmp, limits: Limits, started: float, path: Path,
               progress_label: str | None = None) -> Table:
    """First pass. The cell and time limits are checked as rows pass."""
    bar = None
    if progress_label:
        from tqdm import tqdm
        bar = tqdm(desc=f"convert {progress_label}", unit=" rows", leave=False)
    t = Table()
    lengths, counts = t.lengths, t.counts
    w, lines = _line_writer()
    held_empty = width = cells = 0
    for n, row in enumerate(rows, 1):
        end = len(row)
        while end and not row[end - 1]:
            end -= 1
        if end == 0:
            held_empty += 1
            continue
        for _ in range(held_empty):
            tmp.write(b"\r\n")
            lengths.append(2)
            counts.append(0)
        held_empty = 0
        w.writerow(row[:end] if end < len(row) else row)
        line = lines.pop().encode("utf-8")
        tmp.write(line)
        lengths.append(len(line))
        counts.append(end)
        if end > width:
            width = end
        cells += end
        if n & 1023 == 0:
            check_limits(limits, started, cells, path)
            if bar is not None:
                bar.update(1024)
    t.width, t.cells = width, cells
    check_limits(limits, started, cells, path)
    if bar is not None:
        bar.close()
    if width * len(counts) > limits.max_cells:
        raise limits.refuse(path, f"the table is {len(counts):,} rows x {width:,} columns", "max_cells")
    return t


def check_limits(limits: Limits, started: float, cells: int, path: Path) -> None:
    if cells > limits.max_cells:
        raise limits.refuse(path, f"the table holds more than {cells:,} cells", "max_cells")
    elapsed = time.monotonic() - started
    if elapsed > limits.max_seconds:
        raise limits.refuse(path, f"converting it has taken {elapsed:.0f} s", "max_seconds")


_INTEGER = re.compile(r"-?\d+")
_DATE = re.compile(r"\d{4}-\d\d-\d\d")


def finish(tmp, t: Table, out_path: Path, fixups: Fixups | None, warnings: list[str]) -> tuple[int, int]:
    """Second pass: pad, fix, write atomically. Returns (rows, columns)."""
    width = t.width
    fix_rows = fixups.rows() if fixups else set()
    errors: dict[int, list[tuple[int, str]]] = {}
    for r, c, text in fixups.errors if fixups else ():
        errors.setdefault(r, []).append((c, text))
    tmp.seek(0)
    with fsutil.atomic_writer(out_path, "wb") as out:
        if not fix_rows and all(count == width for count in t.counts):  # a rectangle: copy it as it is
            shutil.copyfileobj(tmp, out, 1 << 20)
            return len(t.counts), width
        for rowno, (length, count) in enumerate(zip(t.lengths, t.counts), 1):
            line = tmp.read(length)
            if rowno in fix_rows:
                line = _fix(line, rowno, fixups, errors.get(rowno, ()), warnings)
            if count < width:
                pad = width - count - (1 if count == 0 else 0)
                line = (line[:-2] + b"," * pad + b"\r\n") if pad else b'""\r\n'
            out.write(line)
    for r in sorted(r for r in errors if r > len(t.counts)):  # errors in trailing rows that were dropped
        warnings.extend(f"{a1(r - 1, c - 1)}: error value {text or '#?'} written as empty" for c, text in errors[r])
    return len(t.counts), width


def _fix(line: bytes, rowno: int, fixups: Fixups, errors, warnings: list[str]) -> bytes:
    fields = next(csv.reader(io.StringIO(line.decode("utf-8"), newline="")), [])
    n = len(fields)
    for c in range(1, n + 1):
        width = fixups.zeros.get((rowno, c))
        if width and _INTEGER.fullmatch(fields[c - 1]):
            s = fields[c - 1]
            fields[c - 1] = ("-" + s[1:].zfill(width)) if s.startswith("-") else s.zfill(width)
        elif (rowno, c) in fixups.midnight and _DATE.fullmatch(fields[c - 1]):
            fields[c - 1] += " 00:00:00"
    for c, text in errors:
        if c <= n:
            fields[c - 1] = ""
        warnings.append(f"{a1(rowno - 1, c - 1)}: error value {text or '#?'} written as empty")
    w, lines = _line_writer()
    w.writerow(fields)
    return lines.pop().encode("utf-8") if n else line
