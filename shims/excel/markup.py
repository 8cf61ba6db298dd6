"""Files that pose as Excel: SpreadsheetML 2003 XML (streamed with iterparse), an HTML table saved
as .xls (BeautifulSoup; the page is parsed whole, so its size is bounded by the memory limit), and
CSV/TSV passed through as UTF-8 comma-separated CSV."""
from __future__ import annotations

import codecs
import csv
import datetime as dt
from pathlib import Path
from typing import Iterator
from xml.etree import ElementTree as ET

import charset_normalizer

from shims.excel.common import ConvertError, Limits, a1, fmt_datetime, fmt_number, pick
from shims.sniff import SS_NS

csv.field_size_limit(1 << 30)
HTML_BYTES_PER_BYTE = 12  # BeautifulSoup's tree is about this many times the page


def read_spreadsheetml(path: Path, sheet, merged: str, warnings: list[str], info: dict, limits: Limits,
                       started: float) -> Iterator[list[str]]:
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
        pick(names, sheet)  # raises with the list of sheets
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
        warnings.append(f"{a1(rowno - 1, col - 1)}: error value {text} written as empty")
        return ""
    return text


def read_html(path: Path, sheet, merged: str, warnings: list[str], info: dict, limits: Limits,
              started: float) -> Iterator[list[str]]:
    from bs4 import BeautifulSoup
    size = path.stat().st_size
    if size * HTML_BYTES_PER_BYTE > limits.memory_mb << 20:
        raise ConvertError(f"{path}: an HTML table of {size:,} bytes is read whole and would need about "
                           f"{size * HTML_BYTES_PER_BYTE >> 20:,} MB, over the memory limit of {limits.memory_mb} MB "
                           "(FEEDS_CONVERT_MEMORY_MB); refused")
    with open(path, "rb") as f:
        soup = BeautifulSoup(f, "html.parser")
    tables = [t for t in soup.find_all("table") if t.find("tr")]
    if not tables:
        raise ConvertError(f"{path}: looks like an HTML page without a table")
    names = [t.get("id") or (t.caption.get_text(strip=True) if t.caption else "") or f"table{i + 1}"
             for i, t in enumerate(tables)]
    i = pick(names, sheet, "table")
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


# What a CSV that is not UTF-8 (and has no UTF-16 byte-order mark) may be: charset-normalizer
# chooses among these only (docs/configuration.md "Encodings the converter reads").
ENCODINGS = {"cp1252": "Windows-1252", "latin_1": "Latin-1", "shift_jis": "Shift-JIS"}


def guess_encoding(path: Path, head: bytes, bad_at: int) -> str:
    """The encoding of a head that is not UTF-8 (its first bad byte at bad_at), among ENCODINGS,
    by charset-normalizer; ConvertError naming the line and column of that byte when none fits."""
    cut = head.rfind(b"\n")
    best = charset_normalizer.from_bytes(head[:cut + 1] if cut > 0 else head, cp_isolation=list(ENCODINGS)).best()
    if best is not None and best.encoding in ENCODINGS:
        return best.encoding
    line, col = head.count(b"\n", 0, bad_at) + 1, bad_at - head.rfind(b"\n", 0, bad_at)
    raise ConvertError(f"{path}: line {line}, column {col}: byte 0x{head[bad_at]:02x} is not UTF-8, and the text "
                       f"reads as none of {', '.join(ENCODINGS.values())} (charset-normalizer cannot tell its "
                       "encoding); save the file as UTF-8")


def _cp1252_fallback(e: UnicodeError):
    """Decoding error handler: bytes that are not UTF-8 are read as Windows-1252 (a file mostly
    UTF-8 with a stray Windows character far down keeps every character, nothing replaced)."""
    if isinstance(e, UnicodeDecodeError):
        _cp1252_fallback.used += 1
        return e.object[e.start:e.end].decode("cp1252", errors="replace"), e.end
    raise e


_cp1252_fallback.used = 0
codecs.register_error("feeds_cp1252", _cp1252_fallback)


def read_csv(path: Path, sheet, merged: str, warnings: list[str], info: dict, limits: Limits,
             started: float) -> Iterator[list[str]]:
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
                encoding = guess_encoding(path, head, e.start)
                warnings.append(f"not UTF-8: read as {ENCODINGS[encoding]} (charset-normalizer's guess)")
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
