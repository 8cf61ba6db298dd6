"""What every reader shares: the error a person reads, the limits a user sets, values written as a
person reads them in Excel, merged cells, sheet choice."""
from __future__ import annotations

import datetime as dt
import os
import re
from dataclasses import dataclass
from decimal import Decimal

EXCEL_ERRORS = {"#NULL!", "#DIV/0!", "#VALUE!", "#REF!", "#NAME?", "#NUM!", "#N/A", "#GETTING_DATA",
                "#SPILL!", "#CALC!"}
NO_PASSWORDS = ("Feeds does not take passwords: ask the sender for a copy saved without one "
                "(in Excel: File > Info > Protect Workbook > Encrypt with Password, clear the password)")


class ConvertError(Exception):
    """A file that cannot be converted; the message is for a person and names the real reason."""


# --- limits ---------------------------------------------------------------------------------------

@dataclass(frozen=True)
class Limits:
    """What one conversion may take, whatever the file declares. Past max_cells, max_bytes or
    max_seconds the file is refused with a ConvertError naming the limit; memory_mb chooses the
    reader (a sheet whose whole-sheet read would need more is streamed) and caps the isolated
    reader of XLSB/ODS files."""
    max_cells: int = 20_000_000
    max_bytes: int = 512 << 20
    max_seconds: float = 300.0
    memory_mb: int = 250

    ENV = {"max_cells": "FEEDS_CONVERT_MAX_CELLS", "max_bytes": "FEEDS_CONVERT_MAX_BYTES",
           "max_seconds": "FEEDS_CONVERT_MAX_SECONDS", "memory_mb": "FEEDS_CONVERT_MEMORY_MB"}

    @classmethod
    def from_env(cls, environ=None) -> "Limits":
        environ = os.environ if environ is None else environ
        values = {}
        for name, var in cls.ENV.items():
            raw = environ.get(var, "").strip()
            if not raw:
                continue
            try:
                value = float(raw) if name == "max_seconds" else int(raw)
            except ValueError:
                raise ConvertError(f"{var}={raw!r} is not a number") from None
            if value <= 0:
                raise ConvertError(f"{var}={raw!r} must be greater than 0")
            values[name] = value
        return cls(**values)

    def refuse(self, path, what: str, name: str) -> ConvertError:
        """The error for `what` (e.g. 'sheet1.xml expands past 536870912 bytes') over limit `name`."""
        return ConvertError(f"{path}: {what}, over the limit of {getattr(self, name):,} "
                            f"{'seconds' if name == 'max_seconds' else 'bytes' if name == 'max_bytes' else 'cells'} "
                            f"({self.ENV[name]}); refused")


# --- values as a person reads them --------------------------------------------------------------

def fmt_float(v: float) -> str:
    s = repr(v)  # the shortest text that reads back as v: the common cases need nothing more
    if s[-2:] == ".0":
        return s[:-2] if s != "-0.0" else "0"
    if len(s) <= 15 and "e" not in s:
        return s if s[-1] not in "nf" else ""  # at most 15 digits, what Excel shows; nan and inf: empty
    # Excel shows at most 15 significant digits: 0.1+0.2 reads 0.3, never in exponent form.
    s = format(v, ".15g")
    if "e" in s:
        s = format(Decimal(s), "f")
        s = s.rstrip("0").rstrip(".") if "." in s else s
    return s


def fmt_number(v: float | int, number_format: str | None = None) -> str:
    if isinstance(v, bool):
        return "true" if v else "false"
    s = str(v) if isinstance(v, int) else fmt_float(v)
    width = zero_pad_width(number_format)
    if width and s.lstrip("-").isdigit():
        neg = s.startswith("-")
        s = ("-" if neg else "") + s.lstrip("-").zfill(width)
    return s


def zero_pad_width(number_format: str | None) -> int:
    """`00000` shows 1234 as 01234: the width, or 0 for any other format."""
    return len(number_format) if number_format and re.fullmatch(r"0{2,}", number_format) else 0


def is_datetime_format(number_format: str | None) -> bool:
    """A format that shows a date and a time of day (so midnight still reads 00:00:00)."""
    if not number_format:
        return False
    s = strip_format_literals(number_format)
    return bool(re.search(r"[dy]", s, re.I) and re.search(r"[hs]", s, re.I))


def fmt_datetime(v: dt.datetime, number_format: str | None = None, with_time: bool | None = None) -> str:
    if v.microsecond:
        v = (v + dt.timedelta(microseconds=500_000)).replace(microsecond=0)
    if with_time is None:
        with_time = number_format is not None and bool(re.search(r"[hs]", strip_format_literals(number_format), re.I))
    if v.time() == dt.time(0) and not with_time:
        return v.date().isoformat()
    return v.isoformat(" ") if v.year >= 1000 and v.tzinfo is None else v.strftime("%Y-%m-%d %H:%M:%S")


def strip_format_literals(number_format: str) -> str:
    return re.sub(r'"[^"]*"|\[[^\]]*\]|\\.', "", number_format)


def fmt_time(v: dt.time) -> str:
    return v.replace(microsecond=0).strftime("%H:%M:%S") if v.microsecond < 500_000 else \
        (dt.datetime.combine(dt.date(2000, 1, 1), v) + dt.timedelta(microseconds=500_000)).strftime("%H:%M:%S")


def fmt_timedelta(v: dt.timedelta) -> str:
    total = round(v.total_seconds())
    sign = "-" if total < 0 else ""
    total = abs(total)
    return f"{sign}{total // 3600}:{total % 3600 // 60:02d}:{total % 60:02d}"


_XML_ESCAPE = re.compile(r"_x([0-9A-Fa-f]{4})_")


def decode_escapes(s: str) -> str:
    """OOXML writes characters XML cannot hold as _xHHHH_ (`_x000D_` is a carriage return)."""
    return _XML_ESCAPE.sub(lambda m: chr(int(m.group(1), 16)), s) if "_x" in s else s


def fmt_value(v, number_format: str | None = None) -> str:
    if v is None:
        return ""
    if isinstance(v, str):
        return v
    if isinstance(v, bool):
        return "true" if v else "false"
    if isinstance(v, dt.datetime):
        return fmt_datetime(v, number_format)
    if isinstance(v, dt.date):
        return v.isoformat()
    if isinstance(v, dt.time):
        return fmt_time(v)
    if isinstance(v, dt.timedelta):
        return fmt_timedelta(v)
    if isinstance(v, (int, float)):
        return fmt_number(v, number_format)
    return str(v)


def _fmt_str(v: str) -> str:
    return v


def _fmt_bool(v: bool) -> str:
    return "true" if v else "false"


def _fmt_calamine_datetime(v: dt.datetime) -> str:
    # calamine gives a date for midnight, so a datetime always shows its time
    return v.isoformat(" ") if not v.microsecond else fmt_datetime(v, with_time=True)


# calamine gives these types; a dict lookup per cell is the fast path (str and float come first)
FAST = {str: _fmt_str, float: fmt_float, int: str, bool: _fmt_bool, dt.date: dt.date.isoformat,
        dt.datetime: _fmt_calamine_datetime, dt.time: fmt_time, dt.timedelta: fmt_timedelta}


# --- merged cells -----------------------------------------------------------------------------

class Merges:
    """Merged ranges (1-based, inclusive). In 'fill' mode every cell of a range takes the value of
    its top-left cell; in 'empty' mode they stay empty. Rows must be fed in order."""

    def __init__(self, ranges: list[tuple[int, int, int, int]], mode: str):
        self.mode = mode
        self.by_start: dict[int, list[tuple[int, int, int, int]]] = {}
        for r in ranges:
            self.by_start.setdefault(r[0], []).append(r)
        self.active: list[tuple[tuple[int, int, int, int], str]] = []

    def apply(self, rowno: int, row: list[str]) -> list[str]:
        if not self.by_start and not self.active:
            return row
        self.active = [(r, v) for r, v in self.active if r[2] >= rowno]
        for r in self.by_start.pop(rowno, ()):
            min_row, min_col, max_row, max_col = r
            value = row[min_col - 1] if len(row) >= min_col else ""
            self.active.append((r, value))
        for (min_row, min_col, max_row, max_col), value in self.active:
            if len(row) < max_col:
                row.extend([""] * (max_col - len(row)))
            for c in range(min_col, max_col + 1):
                if (rowno, c) == (min_row, min_col):
                    continue
                row[c - 1] = value if self.mode == "fill" else ""
        return row


def parse_ref(ref: str) -> tuple[int, int, int, int]:
    """'B2:C5' -> (min_row, min_col, max_row, max_col), 1-based."""
    from openpyxl.utils.cell import range_boundaries
    min_col, min_row, max_col, max_row = range_boundaries(ref if ":" in ref else f"{ref}:{ref}")
    return min_row, min_col, max_row, max_col


def col_number(letters: str) -> int:
    n = 0
    for ch in letters:
        n = n * 26 + ord(ch) - 64
    return n


def a1(r: int, c: int) -> str:
    """0-based row and column -> 'B3'."""
    from openpyxl.utils import get_column_letter
    return f"{get_column_letter(c + 1)}{r + 1}"


def pick(names: list[str], sheet: str | int | None, what: str = "sheet") -> int:
    """Index (0-based) of the sheet named `sheet`, or of the 1-based index `sheet`."""
    if sheet is None or sheet == "":
        return 0
    s = str(sheet)
    if s in names:
        return names.index(s)
    low = [n.lower() for n in names]
    if s.lower() in low:
        return low.index(s.lower())
    if s.isdigit() and 1 <= int(s) <= len(names):
        return int(s) - 1
    listed = ", ".join(repr(n) for n in names) or "none"
    raise ConvertError(f"no {what} {s!r} (the file has: {listed}; give a name or a 1-based index)")
