"""shims/sniff.py: what a file or a download is, by its bytes — and the converter, whose sniff()
is that function plus its refusal messages, agrees on every sample."""
import io
import zipfile

import pytest

from meetmax_site import MeetMaxSite, make_html_table, make_xls, make_xlsx
from shims import xls_to_csv
from shims.http_fetch import FetchConfig, Fetcher
from shims.sniff import OLE2_MAGIC, sniff_bytes, sniff_file


def _zip(members: dict[str, bytes]) -> bytes:
    buf = io.BytesIO()
    with zipfile.ZipFile(buf, "w") as z:
        for name, data in members.items():
            z.writestr(name, data)
    return buf.getvalue()


XLSX = make_xlsx(["a", "b"], [(1, 2)])
SAMPLES = {
    # name: (bytes, kind, what the converter makes of it: its format, or None when it refuses)
    "xlsx": (XLSX, "xlsx", "xlsx"),
    "truncated_xlsx": (XLSX[: len(XLSX) // 2], "corrupt_zip", None),
    "xlsb": (_zip({"xl/workbook.bin": b"\0"}), "xlsb", "xlsb"),
    "docx": (_zip({"word/document.xml": b"<w/>"}), "docx", None),
    "ods": (_zip({"mimetype": b"application/vnd.oasis.opendocument.spreadsheet", "content.xml": b"<x/>"}), "ods", "ods"),
    "zip": (_zip({"notes.txt": b"hello"}), "zip", None),
    "xlsx_root_backslashes": (_zip({"\\workbook.xml": b"<workbook/>"}), "xlsx", "xlsx"),
    "odt": (_zip({"mimetype": b"application/vnd.oasis.opendocument.text", "content.xml": b"<x/>"}), "odt", None),
    "ods_without_mimetype": (_zip({"content.xml": b"<x/>"}), "ods", "ods"),
    "encrypted_package": (_zip({"EncryptedPackage": b"\0"}), "encrypted", None),
    "damaged_ole2": (OLE2_MAGIC + b"\x00" * 600, "damaged_ole2", None),
    "bare_biff": (b"\x09\x08\x10\x00\x00\x06\x10\x00" + b"\x00" * 16, "xls", "xls"),
    "xls": (make_xls(["a", "b"], [("x", "y")]), "xls", "xls"),
    "pdf": (b"%PDF-1.7\n...", "pdf", None),
    "spreadsheetml": (b'<?xml version="1.0"?>\n<Workbook xmlns="urn:schemas-microsoft-com:office:spreadsheet">'
                      b"<Worksheet/></Workbook>", "spreadsheetml", "spreadsheetml"),
    "xml": (b'<?xml version="1.0"?><feed/>', "xml", None),
    "html_table": (b"\xef\xbb\xbf  " + make_html_table(["a", "b"], [("1", "2")]), "html", "html"),
    "html_without_table": (b"<!doctype html><html><title>Login</title></html>", "html", None),
    "csv_with_html_cells": (b"name,comment\nann,<table> in a cell\n", "text", "csv"),
    "utf16_csv": ("a\tb\n1\t2\n".encode("utf-16"), "text", "csv"),
    "empty": (b"", "empty", None),
    "blank": (b" \r\n\t\n", "empty", None),
    "binary": (b"\x00\x01\x02garbage", "binary", None),
}


@pytest.mark.parametrize("name", SAMPLES)
def test_a_file_is_known_by_its_bytes_and_the_converter_agrees(tmp_path, name):
    data, kind, converted = SAMPLES[name]
    path = tmp_path / f"{name}.xls"  # the name says nothing: every sample is called .xls
    path.write_bytes(data)
    k = sniff_file(path)
    assert k.name == kind and sniff_bytes(data).name == kind
    assert k.spreadsheet == (converted is not None)
    if converted is None:
        with pytest.raises(xls_to_csv.ConvertError):
            xls_to_csv.sniff(path)
    else:
        assert xls_to_csv.sniff(path) == converted


def test_a_download_says_what_it_is():
    with MeetMaxSite() as site:
        fetcher = Fetcher(FetchConfig(pause=0, backoff=0, retries=0, timeout=5))
        xls = fetcher.get(site.base_url + "/sched/event_119179/__co-list_cp.xls")
        page = fetcher.get(site.base_url + "/sched/event_119183/__co-list_cp.xls")
    assert xls.kind.name == "xls" and xls.kind.spreadsheet
    assert page.kind.name == "html" and not page.kind.table
