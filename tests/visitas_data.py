"""Generates Visitas report files in the exact layout of issue 6.

Comma-separated, fields with commas in double quotes, one header row, CRLF line ends (LF on
request), 15 columns: email, a free second column (empty values), Badmail, Baja, Fecha envio,
Fecha open, Opens, Opens virales, Fecha click, Clicks, Clicks virales, Links, IPs, Navegadores,
Plataformas.
"""
from __future__ import annotations

import csv
import io
import os
from pathlib import Path

HEADER = ["email", "jyv", "Badmail", "Baja", "Fecha envio", "Fecha open", "Opens", "Opens virales",
          "Fecha click", "Clicks", "Clicks virales", "Links", "IPs", "Navegadores", "Plataformas"]
# The same header as a real file may spell it: other case, accents, another free second name.
HEADER_VARIANT = ["EMAIL", "JYV_2013_02", "badmail", "BAJA", "Fecha envío", "Fecha Open", "opens",
                  "Opens Virales", "Fecha Click", "CLICKS", "Clicks virales", "links", "IPs",
                  "Navegadores", "Plataformas"]


def row(email: str, fecha_envio: str = "08/02/2013 18:30", **kw) -> list[str]:
    """One data row; keyword arguments override single fields by their header position name."""
    values = {
        "email": email, "jyv": "", "badmail": "", "baja": "", "fecha_envio": fecha_envio,
        "fecha_open": "08/02/2013 19:02", "opens": "1", "opens_virales": "0",
        "fecha_click": "-", "clicks": "0", "clicks_virales": "0",
        "links": "-", "ips": "10.0.0.1", "navegadores": "Chrome", "plataformas": "Windows",
    }
    for k, v in kw.items():
        if k not in values:
            raise KeyError(k)
        values[k] = v
    return list(values.values())


def render(rows: list[list[str]], header: list[str] | None = None, newline: str = "\r\n") -> bytes:
    buf = io.StringIO()
    w = csv.writer(buf, lineterminator=newline, quoting=csv.QUOTE_MINIMAL)
    w.writerow(HEADER if header is None else header)
    for r in rows:
        w.writerow(r)
    return buf.getvalue().encode("utf-8")


def write_report(path: Path, rows: list[list[str]], header: list[str] | None = None,
                 newline: str = "\r\n", mtime: float | None = None) -> Path:
    path = Path(path)
    path.write_bytes(render(rows, header, newline))
    if mtime is not None:
        os.utime(path, (mtime, mtime))
    return path


# Rows that must be rejected, one per kind the issue lists, with the field each one breaks.
BAD_ROWS = {
    "field_count": (["short@example.com", "", "", ""], None),
    "email": (row("not-an-email"), "email"),
    "date_feb31": (row("feb31@example.com", "31/02/2013 10:00"), "Fecha envio"),
    "date_3digit_month": (row("month3@example.com", "08/020/2013 18:30"), "Fecha envio"),
    "date_iso": (row("iso@example.com", "2013-02-08 18:30"), "Fecha envio"),
    "date_open_bad": (row("open@example.com", fecha_open="32/01/2013 10:00"), "Fecha open"),
    "fecha_envio_missing": (row("noenvio@example.com", ""), "Fecha envio"),
    "count_text": (row("count@example.com", opens="abc"), "Opens"),
    "count_negative": (row("neg@example.com", clicks="-1"), "Clicks"),
    "count_decimal": (row("dec@example.com", opens_virales="1.5"), "Opens virales"),
    "badmail": (row("bm@example.com", badmail="SOFT"), "Badmail"),
    "baja": (row("baja@example.com", baja="NO"), "Baja"),
}
