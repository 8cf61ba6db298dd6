"""Excel (and look-alikes) to CSV: `feeds convert FILE… [--sheet NAME|INDEX] [--out-dir DIR]
[--merged fill|empty]`.

The format is decided by the file's content, never by its extension:
  XLSX/XLSM (zip)            openpyxl, read-only streaming, dimensions reset
  XLS (OLE2/BIFF)            xlrd, with the workbook's datemode for dates
  HTML table saved as .xls   BeautifulSoup (html.parser)
  SpreadsheetML 2003 XML     xml.etree iterparse, streaming
  CSV / TSV                  passed through, re-written as UTF-8 comma-separated CSV
Anything else is refused with an error that says what the file looks like (empty, PDF, a
corrupt zip, …).

Values come out as a person reads them in Excel: integers without ".0", dates and times in ISO
8601, booleans true/false, error cells empty (with a warning), merged cells filled with their value
(or left empty with --merged empty), text kept as typed (leading zeros too). Trailing empty rows and
columns are dropped. Output is UTF-8 RFC 4180 CSV named <input name>.csv (list.xls -> list.xls.csv),
written to a temporary dot-name and renamed, mode 0660, group etl_group when it exists.

Memory stays bounded by a row for XLSX, SpreadsheetML and CSV (XLS files hold at most 65536 rows;
an HTML page is parsed whole).
"""
from __future__ import annotations

import argparse
import codecs
import csv
import datetime as dt
import os
import re
import sys
import tempfile
import time
import zipfile
from dataclasses import dataclass, field
from decimal import Decimal
from pathlib import Path
from typing import Iterator
from xml.etree import ElementTree as ET

from shims import fsutil

csv.field_size_limit(1 << 30)

OLE2_MAGIC = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"
SS_NS = "urn:schemas-microsoft-com:office:spreadsheet"
MAIN_NS = "http://schemas.openxmlformats.org/spreadsheetml/2006/main"
EXCEL_ERRORS = {"#NULL!", "#DIV/0!", "#VALUE!", "#REF!", "#NAME?", "#NUM!", "#N/A", "#GETTING_DATA",
                "#SPILL!", "#CALC!"}


class ConvertError(Exception):
    """A file that cannot be converted; the message is for a person."""


@dataclass
class Result:
    source: Path
    output: Path
    fmt: str
    sheet: str
    rows: int = 0
    columns: int = 0
    seconds: float = 0.0
    warnings: list[str] = field(default_factory=list)


# --- what is this file? ---------------------------------------------------------------------

def sniff(path: str | os.PathLike) -> str:
    """Return 'xlsx', 'xls', 'html', 'spreadsheetml' or 'csv' from the content; raise
    ConvertError naming what the file looks like otherwise."""
    path = Path(path)
    try:
        size = path.stat().st_size
    except FileNotFoundError:
        raise ConvertError(f"{path}: no such file") from None
    if not path.is_file():
        raise ConvertError(f"{path}: not a regular file")
    if size == 0:
        raise ConvertError(f"{path}: the file is empty (0 bytes)")
    with open(path, "rb") as f:
        head = f.read(16384)
    if head.startswith(b"PK\x03\x04") or head.startswith(b"PK\x05\x06"):
        return _sniff_zip(path)
    if head.startswith(OLE2_MAGIC):
        return "xls"
    for magic, what in ((b"%PDF", "a PDF document"), (b"\x89PNG", "a PNG image"), (b"\xff\xd8\xff", "a JPEG image"),
                        (b"GIF8", "a GIF image"), (b"\x1f\x8b", "a gzip archive"), (b"Rar!", "a RAR archive"),
                        (b"7z\xbc\xaf", "a 7-Zip archive"), (b"{\\rtf", "an RTF document"),
                        (b"\x09\x08", "a BIFF2-4 XLS file (Excel 4 or older), which xlrd cannot read")):
        if head.startswith(magic):
            raise ConvertError(f"{path}: looks like {what}, not a spreadsheet")
    text = _decode_head(head)
    if text is None:
        raise ConvertError(f"{path}: looks like binary data of an unknown kind, not a spreadsheet")
    stripped = text.lstrip("\ufeff \t\r\n")
    if not stripped:
        raise ConvertError(f"{path}: the file is empty (only blank lines or spaces)")
    low = stripped[:4096].lower()
    if low.startswith("<?xml") or low.startswith("<workbook") or low.startswith("<?mso"):
        if SS_NS in stripped or "<ss:workbook" in low or "progid=\"excel.sheet\"" in low:
            return "spreadsheetml"
        if "<html" not in low:
            raise ConvertError(f"{path}: looks like an XML document that is not SpreadsheetML 2003")
    if low.startswith("<"):
        # Markup. (A CSV whose cells hold HTML snippets does not start with "<".)
        if "<table" in stripped[:16384].lower():
            return "html"
        raise ConvertError(f"{path}: looks like markup (HTML/XML) without a table")
    return "csv"


def _decode_head(head: bytes) -> str | None:
    if b"\x00" in head:
        if head.startswith((codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)):
            return head.decode("utf-16", errors="ignore")
        return None
    try:
        return head.decode("utf-8")
    except UnicodeDecodeError as e:
        if e.start > len(head) - 4:  # a character cut by the 16 KB window
            return head[:e.start].decode("utf-8")
        return head.decode("cp1252", errors="replace")


def _sniff_zip(path: Path) -> str:
    try:
        with zipfile.ZipFile(path) as z:
            names = set(z.namelist())
            bad = z.testzip() if os.path.getsize(path) < 50 << 20 else None
    except zipfile.BadZipFile:
        raise ConvertError(f"{path}: looks like a corrupt or truncated zip file (an XLSX that did not "
                           "arrive whole?)") from None
    if bad:
        raise ConvertError(f"{path}: looks like a corrupt zip file (member {bad} is damaged)")
    if "xl/workbook.xml" in names or any(n.endswith("workbook.xml") and n.startswith("xl/") for n in names):
        return "xlsx"
    if "xl/workbook.bin" in names:
        raise ConvertError(f"{path}: looks like an XLSB (binary Excel) workbook, which is not supported; "
                           "save it as XLSX")
    if "word/document.xml" in names:
        raise ConvertError(f"{path}: looks like a Word document (DOCX), not a spreadsheet")
    if "ppt/presentation.xml" in names:
        raise ConvertError(f"{path}: looks like a PowerPoint presentation (PPTX), not a spreadsheet")
    if "content.xml" in names and "mimetype" in names:
        raise ConvertError(f"{path}: looks like an OpenDocument file (ODS?), which is not supported; save it as XLSX")
    raise ConvertError(f"{path}: looks like a zip archive that is not an Excel workbook")


# --- values as a person reads them --------------------------------------------------------------

def fmt_number(v: float | int, number_format: str | None = None) -> str:
    if isinstance(v, bool):
        return "true" if v else "false"
    if isinstance(v, int):
        s = str(v)
    elif v != v or v in (float("inf"), float("-inf")):
        return ""
    elif v.is_integer() and abs(v) < 1e16:
        s = str(int(v))
    else:
        # Excel shows at most 15 significant digits: 0.1+0.2 reads 0.3, never in exponent form.
        s = format(Decimal(format(v, ".15g")), "f")
        if "." in s:
            s = s.rstrip("0").rstrip(".")
    if number_format and re.fullmatch(r"0+", number_format) and s.lstrip("-").isdigit():
        neg = s.startswith("-")
        s = ("-" if neg else "") + s.lstrip("-").zfill(len(number_format))
    return s


def fmt_datetime(v: dt.datetime, number_format: str | None = None) -> str:
    if v.microsecond:
        v = (v + dt.timedelta(microseconds=500_000)).replace(microsecond=0)
    has_time_format = number_format is not None and re.search(r"[hs]", _strip_format_literals(number_format), re.I)
    if v.time() == dt.time(0) and not has_time_format:
        return v.date().isoformat()
    return v.strftime("%Y-%m-%d %H:%M:%S")


def _strip_format_literals(number_format: str) -> str:
    return re.sub(r'"[^"]*"|\[[^\]]*\]|\\.', "", number_format)


def fmt_time(v: dt.time) -> str:
    return v.replace(microsecond=0).strftime("%H:%M:%S") if v.microsecond < 500_000 else \
        (dt.datetime.combine(dt.date(2000, 1, 1), v) + dt.timedelta(microseconds=500_000)).strftime("%H:%M:%S")


def fmt_timedelta(v: dt.timedelta) -> str:
    total = round(v.total_seconds())
    sign = "-" if total < 0 else ""
    total = abs(total)
    return f"{sign}{total // 3600}:{total % 3600 // 60:02d}:{total % 60:02d}"


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


def _parse_ref(ref: str) -> tuple[int, int, int, int]:
    from openpyxl.utils.cell import range_boundaries
    min_col, min_row, max_col, max_row = range_boundaries(ref if ":" in ref else f"{ref}:{ref}")
    return min_row, min_col, max_row, max_col


# --- readers: each yields (list of str, warnings appended to a list) row by row ----------------

def _pick(names: list[str], sheet: str | int | None, what: str = "sheet") -> int:
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


def read_xlsx(path: Path, sheet, merged: str, warnings: list[str], info: dict) -> Iterator[list[str]]:
    import openpyxl
    fh = open(path, "rb")  # a file object: openpyxl would refuse a name not ending in .xlsx
    try:
        wb = openpyxl.load_workbook(fh, read_only=True, data_only=True, keep_links=False)
    except Exception as e:  # openpyxl raises many kinds on damaged parts
        fh.close()
        raise ConvertError(f"{path}: looks like an XLSX workbook but openpyxl cannot read it "
                           f"({type(e).__name__}: {e})") from None
    try:
        ws = wb.worksheets[_pick(wb.sheetnames, sheet)]
        info["sheet"] = ws.title
        if not hasattr(ws, "reset_dimensions"):
            raise ConvertError(f"{path}: sheet {ws.title!r} is a chart sheet, not a table")
        ws.reset_dimensions()
        merges = Merges(_xlsx_merged_ranges(wb, ws), merged)
        rowno = 0
        for cells in ws.iter_rows():
            rowno += 1
            out = []
            for cell in cells:
                v = cell.value
                if cell.data_type == "e" or (isinstance(v, str) and cell.data_type != "s" and v in EXCEL_ERRORS):
                    if v is not None:
                        warnings.append(f"{getattr(cell, 'coordinate', f'row {rowno}')}: error value {v} written as empty")
                    out.append("")
                    continue
                out.append(fmt_value(v, getattr(cell, "number_format", None)))
            yield merges.apply(rowno, out)
    finally:
        wb.close()
        fh.close()


def _xlsx_merged_ranges(wb, ws) -> list[tuple[int, int, int, int]]:
    """Read-only worksheets do not expose merged cells; read <mergeCell ref=…> from the sheet part
    (they follow the cell data), clearing rows as they pass so memory stays small."""
    ranges = []
    with wb._archive.open(ws._worksheet_path) as src:
        for _, el in ET.iterparse(src, events=("end",)):
            tag = el.tag.rsplit("}", 1)[-1]
            if tag == "mergeCell":
                ranges.append(_parse_ref(el.get("ref")))
            elif tag == "row":
                el.clear()
    return ranges


def read_xls(path: Path, sheet, merged: str, warnings: list[str], info: dict) -> Iterator[list[str]]:
    import xlrd
    try:
        book = xlrd.open_workbook(str(path), on_demand=True, formatting_info=True)
    except NotImplementedError:
        book = None  # formatting_info is not implemented for some BIFF versions
    except xlrd.XLRDError as e:
        raise ConvertError(f"{path}: looks like an OLE2 (legacy Office) file that xlrd cannot read as XLS ({e})") from None
    except Exception as e:  # xlrd raises bare struct/assertion errors on damaged files
        raise ConvertError(f"{path}: looks like a damaged legacy XLS file ({type(e).__name__}: {e})") from None
    if book is None:
        book = xlrd.open_workbook(str(path), on_demand=True)
    try:
        sh = book.sheet_by_index(_pick(book.sheet_names(), sheet))
        info["sheet"] = sh.name
        ranges = [(rlo + 1, clo + 1, rhi, chi) for rlo, rhi, clo, chi in getattr(sh, "merged_cells", [])]
        merges = Merges(ranges, merged)
        fmt_of = _xls_formats(book)
        for r in range(sh.nrows):
            out = []
            for c, cell in enumerate(sh.row(r)):
                out.append(_xls_cell(book, cell, fmt_of, warnings, r, c))
            yield merges.apply(r + 1, out)
    finally:
        book.release_resources()


def _xls_formats(book):
    fmt_map = getattr(book, "format_map", {}) or {}
    xf_list = getattr(book, "xf_list", []) or []

    def fmt_of(cell):
        try:
            return fmt_map[xf_list[cell.xf_index].format_key].format_str
        except (IndexError, KeyError, TypeError, AttributeError):
            return None
    return fmt_of


def _xls_cell(book, cell, fmt_of, warnings, r, c) -> str:
    import xlrd
    t = cell.ctype
    if t in (xlrd.XL_CELL_EMPTY, xlrd.XL_CELL_BLANK):
        return ""
    if t == xlrd.XL_CELL_TEXT:
        return cell.value
    if t == xlrd.XL_CELL_NUMBER:
        return fmt_number(cell.value, fmt_of(cell))
    if t == xlrd.XL_CELL_BOOLEAN:
        return "true" if cell.value else "false"
    if t == xlrd.XL_CELL_DATE:
        v = cell.value
        try:
            if 0 <= v < 1:
                d = xlrd.xldate_as_datetime(v, book.datemode)
                return fmt_time(d.time())
            return fmt_datetime(xlrd.xldate_as_datetime(v, book.datemode), fmt_of(cell))
        except (xlrd.xldate.XLDateError, ValueError, OverflowError):
            warnings.append(f"{_a1(r, c)}: date serial {v} is out of range, written as a number")
            return fmt_number(v)
    if t == xlrd.XL_CELL_ERROR:
        warnings.append(f"{_a1(r, c)}: error value {xlrd.error_text_from_code.get(cell.value, '#?')} written as empty")
        return ""
    return str(cell.value)


def _a1(r: int, c: int) -> str:
    from openpyxl.utils import get_column_letter
    return f"{get_column_letter(c + 1)}{r + 1}"


def read_spreadsheetml(path: Path, sheet, merged: str, warnings: list[str], info: dict) -> Iterator[list[str]]:
    ns = "{%s}" % SS_NS
    names: list[str] = []
    want: int | None = None
    in_target = False
    rowno = 0
    spans = Spans(merged)
    try:
        for event, el in ET.iterparse(path, events=("start", "end")):
            tag = el.tag
            if event == "start" and tag == ns + "Worksheet":
                names.append(el.get(ns + "Name") or f"Sheet{len(names) + 1}")
                if want is None and _ssml_matches(names[-1], len(names) - 1, sheet):
                    in_target, want = True, len(names) - 1
                    info["sheet"] = names[-1]
                continue
            if event != "end":
                continue
            if tag == ns + "Row" and in_target:
                index = el.get(ns + "Index")
                target = int(index) if index else rowno + 1
                while rowno + 1 < target:
                    rowno += 1
                    yield spans.finish(rowno, [])
                rowno = target
                yield _ssml_row(el, rowno, ns, spans, warnings)
                el.clear()
            elif tag == ns + "Worksheet":
                if in_target:
                    while spans.pending:
                        rowno += 1
                        yield spans.finish(rowno, [])
                    return
                el.clear()
            elif tag == ns + "Row":
                el.clear()
    except ET.ParseError as e:
        raise ConvertError(f"{path}: looks like SpreadsheetML 2003 XML but is not well-formed ({e})") from None
    if want is None:
        _pick(names, sheet)  # raises with the list of sheets
        raise ConvertError(f"{path}: SpreadsheetML without any worksheet")


def _ssml_matches(name: str, idx: int, sheet) -> bool:
    if sheet is None or sheet == "":
        return idx == 0
    s = str(sheet)
    if s == name or s.lower() == name.lower():
        return True
    return s.isdigit() and int(s) - 1 == idx


class Spans:
    """Cells merged across and down while rows stream by (SpreadsheetML MergeAcross/MergeDown,
    HTML colspan/rowspan): in 'fill' mode every covered cell takes the value, in 'empty' mode
    it stays empty. Cells covered from a row above wait in `pending` until their row comes."""

    def __init__(self, merged: str):
        self.fill = merged == "fill"
        self.pending: dict[tuple[int, int], str] = {}

    @staticmethod
    def _put(row: list[str], col: int, value: str) -> None:
        if len(row) < col:
            row.extend([""] * (col - len(row)))
        row[col - 1] = value

    def place(self, rowno: int, row: list[str], col: int, value: str, across: int = 0, down: int = 0) -> int:
        """Put value at (1-based) col, after any columns covered from above; return the last column used."""
        while (rowno, col) in self.pending:
            self._put(row, col, self.pending.pop((rowno, col)) if self.fill else "")
            col += 1
        self._put(row, col, value)
        for c in range(col + 1, col + across + 1):
            self._put(row, c, value if self.fill else "")
        for r in range(rowno + 1, rowno + down + 1):
            for c in range(col, col + across + 1):
                self.pending[(r, c)] = value
        return col + across

    def finish(self, rowno: int, row: list[str]) -> list[str]:
        """Add the cells of this row still covered from above (after its last own cell)."""
        for key in sorted(k for k in self.pending if k[0] == rowno):
            value = self.pending.pop(key)
            self._put(row, key[1], value if self.fill else "")
        return row


def _ssml_row(el, rowno, ns, spans: Spans, warnings) -> list[str]:
    row: list[str] = []
    col = 0
    for cell in el.findall(ns + "Cell"):
        index = cell.get(ns + "Index")
        col = int(index) if index else col + 1
        data = cell.find(ns + "Data")
        value = _ssml_value(data, ns, warnings, rowno, col) if data is not None else ""
        col = spans.place(rowno, row, col, value, int(cell.get(ns + "MergeAcross") or 0),
                          int(cell.get(ns + "MergeDown") or 0))
    return spans.finish(rowno, row)


def _ssml_value(data, ns, warnings, rowno, col) -> str:
    typ = data.get(ns + "Type", "String")
    text = "".join(data.itertext())
    if typ == "Number":
        try:
            return fmt_number(float(text))
        except ValueError:
            return text
    if typ == "DateTime":
        try:
            return fmt_datetime(dt.datetime.fromisoformat(text.rstrip("Z")))
        except ValueError:
            return text
    if typ == "Boolean":
        return "true" if text.strip() in ("1", "true", "TRUE") else "false"
    if typ == "Error":
        warnings.append(f"{_a1(rowno - 1, col - 1)}: error value {text} written as empty")
        return ""
    return text


def read_html(path: Path, sheet, merged: str, warnings: list[str], info: dict) -> Iterator[list[str]]:
    from bs4 import BeautifulSoup
    with open(path, "rb") as f:
        soup = BeautifulSoup(f, "html.parser")
    tables = [t for t in soup.find_all("table") if t.find("tr")]
    if not tables:
        raise ConvertError(f"{path}: looks like an HTML page without a table")
    names = [t.get("id") or (t.caption.get_text(strip=True) if t.caption else "") or f"table{i + 1}"
             for i, t in enumerate(tables)]
    i = _pick(names, sheet, "table")
    info["sheet"] = names[i]
    table = tables[i]
    spans = Spans(merged)
    rowno = 0
    for tr in table.find_all("tr"):
        if tr.find_parent("table") is not table:
            continue  # a row of a nested table
        rowno += 1
        row: list[str] = []
        col = 0
        for td in tr.find_all(["td", "th"], recursive=False):
            col = spans.place(rowno, row, col + 1, _html_text(td), _int_attr(td, "colspan") - 1,
                              _int_attr(td, "rowspan") - 1)
        yield spans.finish(rowno, row)
    while spans.pending:
        rowno += 1
        yield spans.finish(rowno, [])


def _int_attr(td, name) -> int:
    try:
        return max(1, min(int(str(td.get(name, 1)).strip() or 1), 10000))
    except ValueError:
        return 1


def _html_text(td) -> str:
    for br in td.find_all("br"):
        br.replace_with("\n")
    text = td.get_text()
    text = text.replace("\xa0", " ")
    lines = [" ".join(part.split()) for part in text.split("\n")]
    return "\n".join(line for line in lines if line)


def _cp1252_fallback(e: UnicodeError):
    """Decoding error handler: bytes that are not UTF-8 are read as Windows-1252 (a file mostly
    UTF-8 with a stray Windows character far down keeps every character, nothing replaced)."""
    if isinstance(e, UnicodeDecodeError):
        _cp1252_fallback.used += 1
        return e.object[e.start:e.end].decode("cp1252", errors="replace"), e.end
    raise e


_cp1252_fallback.used = 0
codecs.register_error("feeds_cp1252", _cp1252_fallback)


def read_csv(path: Path, sheet, merged: str, warnings: list[str], info: dict) -> Iterator[list[str]]:
    with open(path, "rb") as f:
        head = f.read(65536)
    encoding = "utf-8-sig"
    if head.startswith((codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)):
        encoding = "utf-16"
    else:
        try:
            head.decode("utf-8")
        except UnicodeDecodeError as e:
            if e.start < len(head) - 4:
                encoding = "cp1252"
                warnings.append("not UTF-8: read as Windows-1252")
    sample = head.decode(encoding if encoding != "utf-8-sig" else "utf-8", errors="ignore")
    try:
        dialect = csv.Sniffer().sniff(sample[:16384], delimiters=",\t;|")
        delimiter = dialect.delimiter
    except csv.Error:
        delimiter = "\t" if sample.count("\t") > sample.count(",") else ","
    info["sheet"] = {"\t": "tab-separated", ",": "comma-separated", ";": "semicolon-separated",
                     "|": "pipe-separated"}.get(delimiter, "delimited")
    before = _cp1252_fallback.used
    with open(path, newline="", encoding=encoding, errors="feeds_cp1252" if encoding == "utf-8-sig" else "replace") as f:
        for row in csv.reader(f, delimiter=delimiter, quotechar='"'):
            yield row
    if _cp1252_fallback.used > before:
        warnings.append(f"{_cp1252_fallback.used - before} byte sequence(s) that are not UTF-8 read as Windows-1252")


READERS = {"xlsx": read_xlsx, "xls": read_xls, "spreadsheetml": read_spreadsheetml, "html": read_html,
           "csv": read_csv}


# --- the conversion -------------------------------------------------------------------------

def default_output(path: str | os.PathLike, out_dir: str | os.PathLike | None = None) -> Path:
    path = Path(path)
    return (Path(out_dir) if out_dir else path.parent) / (path.name + ".csv")


def convert(path: str | os.PathLike, out_path: str | os.PathLike | None = None, sheet: str | int | None = None,
            merged: str = "fill", log=None, progress: bool | None = None) -> Result:
    """Convert one file to CSV at out_path (default <path>.csv). Raises ConvertError with a message
    for a person; the output is either complete or absent. `log` is a db.RunLog (optional)."""
    if merged not in ("fill", "empty"):
        raise ValueError("merged must be 'fill' or 'empty'")
    path = Path(path)
    out_path = Path(out_path) if out_path else default_output(path)
    started = time.monotonic()
    fmt = sniff(path)
    warnings: list[str] = []
    info = {"sheet": ""}
    if progress is None:
        progress = sys.stderr.isatty()
    rows, columns = _write(READERS[fmt](path, sheet, merged, warnings, info), out_path, progress, path.name)
    result = Result(path, out_path, fmt, info["sheet"], rows, columns, round(time.monotonic() - started, 3), warnings)
    if log is not None:
        for w in warnings[:20]:
            log.log(f"convert {path.name}: {w}", level="warning")
        if len(warnings) > 20:
            log.log(f"convert {path.name}: {len(warnings) - 20} more warnings", level="warning")
        log.log(f"converted {path.name} ({fmt}, sheet {result.sheet!r}) to {out_path.name}: "
                f"{rows} rows, {columns} columns in {result.seconds:.2f} s")
    return result


def _write(rows: Iterator[list[str]], out_path: Path, progress: bool, label: str) -> tuple[int, int]:
    """Two passes keep memory at one row: the first writes rows trimmed of trailing empty cells to
    a temporary file (holding back empty rows until a non-empty one follows) and finds the width;
    the second pads every row to that width into the output, written atomically."""
    bar = None
    if progress:
        from tqdm import tqdm
        bar = tqdm(desc=f"convert {label}", unit=" rows", leave=False)
    width = 0
    count = 0
    held_empty = 0
    with tempfile.TemporaryFile("w+", newline="", encoding="utf-8") as tmp:
        w = csv.writer(tmp, lineterminator="\r\n")
        for row in rows:
            end = len(row)
            while end and (row[end - 1] is None or row[end - 1] == ""):
                end -= 1
            if end == 0:
                held_empty += 1
                continue
            for _ in range(held_empty):
                w.writerow([])
            count += held_empty + 1
            held_empty = 0
            w.writerow(row[:end])
            width = max(width, end)
            if bar is not None:
                bar.update(1)
        if bar is not None:
            bar.close()
        tmp.seek(0)
        with fsutil.atomic_writer(out_path, "w", newline="", encoding="utf-8") as out:
            ow = csv.writer(out, lineterminator="\r\n")
            for row in csv.reader(tmp):
                if len(row) < width:
                    row.extend([""] * (width - len(row)))
                ow.writerow(row)
    return count, width


# --- command line ---------------------------------------------------------------------------

def main(argv: list[str] | None = None) -> int:
    p = argparse.ArgumentParser(prog="feeds convert", description="Convert Excel-like files to UTF-8 CSV "
                                "(<name>.csv next to each file, or in --out-dir).")
    p.add_argument("files", nargs="+", metavar="FILE")
    p.add_argument("--sheet", help="sheet (or HTML table) by name or 1-based index; default the first")
    p.add_argument("--out-dir", help="directory for the CSV files (default: next to each input)")
    p.add_argument("--merged", choices=("fill", "empty"), default="fill",
                   help="merged cells: fill every cell with the value (default) or leave them empty")
    p.add_argument("--no-log", action="store_true", help="do not log to the database")
    args = p.parse_args(argv)
    if args.out_dir and not Path(args.out_dir).is_dir():
        print(f"feeds convert: --out-dir {args.out_dir}: no such directory", file=sys.stderr)
        return 2
    log = None
    if not args.no_log:
        from shims.db import RunLog
        log = RunLog("xls_to_csv")
    failed = 0
    for name in args.files:
        try:
            r = convert(name, default_output(name, args.out_dir), sheet=args.sheet, merged=args.merged, log=log)
        except ConvertError as e:
            failed += 1
            print(f"feeds convert: {e}", file=sys.stderr)
            if log is not None:
                log.log(f"convert failed: {e}", level="error")
            continue
        for w in r.warnings:
            print(f"feeds convert: warning: {name}: {w}", file=sys.stderr)
        print(f"{r.output}: {r.rows} rows, {r.columns} columns ({r.fmt}, sheet {r.sheet!r}, {r.seconds:.2f} s)")
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
