"""What a file or a download is, from its first bytes: the one magic-byte sniffer of the shims.

    from shims.sniff import sniff_bytes, sniff_file
    k = sniff_file("report.xls")        # Kind(name='spreadsheetml', what='SpreadsheetML 2003 (XML) …')
    k = sniff_bytes(response.content)   # the same for bytes in memory (shims/http_fetch: Fetched.kind)

Kind.name is one of
    xlsx xlsb ods docx pptx odt odp odg zip corrupt_zip   a zip container, by its part names
    xls doc ppt msg ole2 damaged_ole2                     an OLE2 compound file, by its streams, or
                                                          a bare BIFF stream (xls)
    encrypted                                             a password-protected Office file (either)
    pdf png jpeg gif gzip rar 7z rtf                      other formats known by their magic bytes
    spreadsheetml xml html                                markup (html: Kind.table says whether it
                                                          has a <table>)
    text empty binary                                     anything else
Kind.what describes it for a person ("an XLSB (binary Excel) workbook") and Kind.spreadsheet says
whether the converter reads it as one (xlsx, xlsb, ods, xls, spreadsheetml, html with a table,
text): shims/xls_to_csv.sniff() is this function plus the converter's refusal messages, so the two
cannot disagree. Markup is only what starts with "<" (after a BOM and blanks): a CSV whose cells
hold HTML snippets stays text. Only ASCII is looked for, so no encoding is guessed. Nothing is
decompressed but the tiny ODF mimetype part (and, with test=True, the members' CRCs).
"""
from __future__ import annotations

import codecs
import io
import mmap
import os
import zipfile
import zlib
from dataclasses import dataclass
from pathlib import Path

HEAD = 16384  # bytes read to decide
OLE2_MAGIC = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"
BIFF_BOF = (b"\x09\x00", b"\x09\x02", b"\x09\x04", b"\x09\x08")  # BIFF2, 3, 4, 5/8 without a container
SS_NS = "urn:schemas-microsoft-com:office:spreadsheet"
MAGIC = ((b"%PDF", "pdf", "a PDF document"), (b"\x89PNG", "png", "a PNG image"),
         (b"\xff\xd8\xff", "jpeg", "a JPEG image"), (b"GIF8", "gif", "a GIF image"),
         (b"\x1f\x8b", "gzip", "a gzip archive"), (b"Rar!", "rar", "a RAR archive"),
         (b"7z\xbc\xaf", "7z", "a 7-Zip archive"), (b"{\\rtf", "rtf", "an RTF document"))
ODS_MIMETYPE = "application/vnd.oasis.opendocument.spreadsheet"
_ODF = {"application/vnd.oasis.opendocument.text": ("odt", "an OpenDocument text document (ODT)"),
        "application/vnd.oasis.opendocument.presentation": ("odp", "an OpenDocument presentation (ODP)"),
        "application/vnd.oasis.opendocument.graphics": ("odg", "an OpenDocument drawing (ODG)")}
_ZIP_PARTS = (("word/document.xml", "docx", "a Word document (DOCX)"),
              ("ppt/presentation.xml", "pptx", "a PowerPoint presentation (PPTX)"))
_OLE_STREAMS = (("WordDocument", "doc", "a Word 97-2003 document (DOC)"),
                ("PowerPoint Document", "ppt", "a PowerPoint 97-2003 presentation (PPT)"),
                ("__properties_version1.0", "msg", "an Outlook message (MSG)"))
ENCRYPTED = "a password-protected (encrypted) Excel workbook"
CORRUPT_ZIP = "a corrupt or truncated zip file (an XLSX that did not arrive whole?)"
SPREADSHEETS = frozenset({"xlsx", "xlsb", "ods", "xls", "spreadsheetml", "text"})
DAMAGED = frozenset({"corrupt_zip", "damaged_ole2"})


@dataclass(frozen=True)
class Kind:
    name: str
    what: str
    table: bool = False  # html: whether it holds a <table>

    @property
    def spreadsheet(self) -> bool:
        return self.name in SPREADSHEETS or (self.name == "html" and self.table)


def sniff_file(path: str | os.PathLike, test: bool | None = None) -> Kind:
    """The kind of a file (zip parts and OLE2 streams are read from the file itself). OSError when
    unreadable. test: check every zip member's CRC (default: for files under 50 MB; the converter
    passes False and finds a damaged part when it reads it)."""
    path = Path(path)
    with open(path, "rb") as f:
        head = f.read(HEAD)
        if head.startswith(OLE2_MAGIC):
            with mmap.mmap(f.fileno(), 0, access=mmap.ACCESS_READ) as mem:
                return _ole_kind(mem)
    if _is_zip(head):
        return _zip_kind(lambda: zipfile.ZipFile(path), test=path.stat().st_size < 50 << 20 if test is None else test)
    return sniff_bytes(head)


def sniff_bytes(data: bytes) -> Kind:
    """The kind of content held in memory (a download, or the head of a file that is not a zip)."""
    if not data:
        return Kind("empty", "an empty file (0 bytes)")
    if _is_zip(data):
        return _zip_kind(lambda: zipfile.ZipFile(io.BytesIO(data)), test=True)
    if data.startswith(OLE2_MAGIC):
        return _ole_kind(data)
    if data[:2] in BIFF_BOF and len(data) >= 8:
        return Kind("xls", "a legacy Excel (BIFF) worksheet without an OLE2 container")
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
        return Kind("html", "an HTML page" if table else "markup (HTML/XML) without a table", table)
    return Kind("text", "text")


def _is_zip(head: bytes) -> bool:
    return head.startswith((b"PK\x03\x04", b"PK\x05\x06"))


def _zip_kind(open_zip, test: bool) -> Kind:
    """By the part names (backslashes read as slashes, a leading slash dropped)."""
    try:
        with open_zip() as z:
            names = {n.replace("\\", "/").lstrip("/") for n in z.namelist()}
            mimetype = z.read("mimetype")[:100].decode("ascii", "replace").strip() if "mimetype" in names else ""
            bad = z.testzip() if test else None
    except (zipfile.BadZipFile, EOFError, OSError, NotImplementedError, KeyError, zlib.error):
        return Kind("corrupt_zip", CORRUPT_ZIP)
    if bad:
        return Kind("corrupt_zip", f"a corrupt zip file (member {bad} is damaged)")
    if any(n.endswith("workbook.xml") for n in names):  # xl/workbook.xml, or at the package root
        return Kind("xlsx", "an XLSX workbook")
    if any(n.endswith("workbook.bin") for n in names):
        return Kind("xlsb", "an XLSB (binary Excel) workbook")
    if mimetype == ODS_MIMETYPE or (not mimetype and "content.xml" in names):
        return Kind("ods", "an OpenDocument spreadsheet (ODS)")
    if mimetype in _ODF:
        return Kind(*_ODF[mimetype])
    for part, name, what in _ZIP_PARTS:
        if part in names:
            return Kind(name, what)
    if "EncryptedPackage" in names:
        return Kind("encrypted", "an encrypted Office package")
    return Kind("zip", "a zip archive that is not an Excel workbook")


def _ole_kind(mem) -> Kind:
    """By the streams of an OLE2 compound file (xlrd's reader of its directory)."""
    from xlrd import compdoc
    try:
        with open(os.devnull, "w") as quiet:
            names = {d.name for d in compdoc.CompDoc(mem, logfile=quiet).dirlist}
    except MemoryError:  # past the converter's memory cap: it names FEEDS_CONVERT_MEMORY_MB
        raise
    except Exception as e:  # compdoc raises CompDocError, struct.error, IndexError on damaged files
        return Kind("damaged_ole2", "a damaged OLE2 (legacy Office) file; its compound-document structure "
                                    f"cannot be read ({type(e).__name__}: {e})")
    if "EncryptedPackage" in names or "EncryptionInfo" in names:
        return Kind("encrypted", ENCRYPTED)
    if "Workbook" in names or "Book" in names:
        return Kind("xls", "a legacy Excel (OLE2) workbook")
    for stream, name, what in _OLE_STREAMS:
        if stream in names:
            return Kind(name, what)
    return Kind("ole2", "an OLE2 compound file that holds no workbook "
                        f"(streams: {', '.join(sorted(n for n in names if n)) or 'none'})")
