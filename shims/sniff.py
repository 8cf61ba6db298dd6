"""What a file or a download is, from its first bytes: the one magic-byte sniffer of the shims.

    from shims.sniff import sniff_bytes, sniff_file
    k = sniff_file("report.xls")        # Kind(name='spreadsheetml', what='SpreadsheetML 2003 (XML) …')
    k = sniff_bytes(response.content)   # the same for bytes in memory (shims/http_fetch: Fetched.kind)

Kind.name is one of
    xlsx xlsb ods docx pptx zip corrupt_zip      a zip container, by its members
    xls                                          an OLE2 compound file (legacy Excel)
    pdf png jpeg gif gzip rar 7z rtf biff4       other formats known by their magic bytes
    spreadsheetml xml html                       markup (html: Kind.table says whether it has a <table>)
    text empty binary                            anything else
Kind.what describes it for a person ("an XLSB (binary Excel) workbook") and Kind.spreadsheet says
whether a converter can read it as one (xlsx, xlsb, ods, xls, spreadsheetml, html with a table, text).
Markup is only what starts with "<" (after a BOM and blanks): a CSV whose cells hold HTML
snippets stays text. Only ASCII is looked for, so no encoding is guessed.
"""
from __future__ import annotations

import codecs
import io
import os
import zipfile
from dataclasses import dataclass
from pathlib import Path

HEAD = 16384  # bytes read to decide
OLE2_MAGIC = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"
SS_NS = "urn:schemas-microsoft-com:office:spreadsheet"
MAGIC = ((b"%PDF", "pdf", "a PDF document"), (b"\x89PNG", "png", "a PNG image"),
          (b"\xff\xd8\xff", "jpeg", "a JPEG image"), (b"GIF8", "gif", "a GIF image"),
          (b"\x1f\x8b", "gzip", "a gzip archive"), (b"Rar!", "rar", "a RAR archive"),
          (b"7z\xbc\xaf", "7z", "a 7-Zip archive"), (b"{\\rtf", "rtf", "an RTF document"),
          (b"\x09\x08", "biff4", "a BIFF2-4 XLS file (Excel 4 or older)"))
_ZIP_MEMBERS = (("xl/workbook.bin", "xlsb", "an XLSB (binary Excel) workbook"),
                ("word/document.xml", "docx", "a Word document (DOCX)"),
                ("ppt/presentation.xml", "pptx", "a PowerPoint presentation (PPTX)"))
SPREADSHEETS = frozenset({"xlsx", "xlsb", "ods", "xls", "spreadsheetml", "text"})


@dataclass(frozen=True)
class Kind:
    name: str
    what: str
    table: bool = False  # html: whether it holds a <table>

    @property
    def spreadsheet(self) -> bool:
        return self.name in SPREADSHEETS or (self.name == "html" and self.table)


def sniff_file(path: str | os.PathLike) -> Kind:
    """The kind of a file (zip members are read from the file itself). OSError when unreadable."""
    path = Path(path)
    with open(path, "rb") as f:
        head = f.read(HEAD)
    if _is_zip(head):
        return _zip_kind(lambda: zipfile.ZipFile(path), test=path.stat().st_size < 50 << 20)
    return sniff_bytes(head)


def sniff_bytes(data: bytes) -> Kind:
    """The kind of content held in memory (a download, or the head of a file that is not a zip)."""
    if not data:
        return Kind("empty", "an empty file (0 bytes)")
    if _is_zip(data):
        return _zip_kind(lambda: zipfile.ZipFile(io.BytesIO(data)), test=True)
    if data.startswith(OLE2_MAGIC):
        return Kind("xls", "a legacy Excel (OLE2) workbook")
    for magic, name, what in MAGIC:
        if data.startswith(magic):
            return Kind(name, what)
    head = data[:HEAD].removeprefix(codecs.BOM_UTF8)
    if head.startswith((codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)):
        text = head.decode("utf-16", errors="ignore")
    elif b"\x00" in head:
        return Kind("binary", "binary data of an unknown kind")
    else:
        text = head.decode("latin-1")  # only ASCII is looked for below: no encoding is guessed
    stripped = text.lstrip("\ufeff \t\r\n")
    if not stripped:
        return Kind("empty", "an empty file (only blank lines or spaces)")
    low = stripped[:4096].lower()
    if low.startswith(("<?xml", "<workbook", "<?mso")):
        if SS_NS in stripped or "<ss:workbook" in low or 'progid="excel.sheet"' in low:
            return Kind("spreadsheetml", "a SpreadsheetML 2003 (XML) workbook")
        if "<html" not in low:
            return Kind("xml", "an XML document that is not SpreadsheetML 2003")
    if low.startswith("<"):
        table = "<table" in stripped.lower()
        return Kind("html", "an HTML page" + ("" if table else " without a table"), table)
    return Kind("text", "text")


def _is_zip(head: bytes) -> bool:
    return head.startswith((b"PK\x03\x04", b"PK\x05\x06"))


def _zip_kind(open_zip, test: bool) -> Kind:
    try:
        with open_zip() as z:
            names = set(z.namelist())
            bad = z.testzip() if test else None
    except zipfile.BadZipFile:
        return Kind("corrupt_zip", "a corrupt or truncated zip file (an XLSX that did not arrive whole?)")
    if bad:
        return Kind("corrupt_zip", f"a corrupt zip file (member {bad} is damaged)")
    if any(n.startswith("xl/") and n.endswith("workbook.xml") for n in names):
        return Kind("xlsx", "an XLSX workbook")
    for member, name, what in _ZIP_MEMBERS:
        if member in names:
            return Kind(name, what)
    if "content.xml" in names and "mimetype" in names:
        return Kind("ods", "an OpenDocument file (ODS?)")
    return Kind("zip", "a zip archive that is not an Excel workbook")
