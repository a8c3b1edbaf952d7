"""The files the app gives out: the download response, and spreadsheet cells that a spreadsheet
program will not run as formulae.

Every CSV, Excel, PDF and calendar download in every app is answered through `download`, and
every cell typed by a person goes out through `escape_cell`.
"""

import csv
import io
from collections.abc import Iterable, Sequence

from django.http import HttpResponse
from django.utils.http import content_disposition_header

CSV_TYPE = "text/csv; charset=utf-8"
XLSX_TYPE = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
PDF_TYPE = "application/pdf"
CALENDAR_TYPE = "text/calendar; charset=utf-8"

#: Spreadsheet programs run a cell that starts with one of these as a formula.
FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")


def escape_cell(text: str) -> str:
    """A cell for CSV: text a spreadsheet would run as a formula is marked as text with '."""
    if text.startswith(FORMULA_STARTS):
        return "'" + text
    return text


def unescape_cell(text: str) -> str:
    """Undo escape_cell: '=1+1 in a file is the text =1+1."""
    if text.startswith("'") and text[1:].startswith(FORMULA_STARTS):
        return text[1:]
    return text


def csv_bytes(
    header: Sequence[str], rows: Iterable[Sequence], *, byte_order_mark: bool = False
) -> bytes:
    """A CSV in UTF-8 of the header and rows, every cell formula-safe (None is blank).

    With `byte_order_mark`, Excel reads the accents and dashes correctly; files meant to be
    filled in and read back are written so.
    """
    out = io.StringIO(newline="")
    writer = csv.writer(out, lineterminator="\r\n")
    writer.writerow(header)
    for row in rows:
        writer.writerow([escape_cell("" if value is None else str(value)) for value in row])
    text = out.getvalue()
    return (("\ufeff" if byte_order_mark else "") + text).encode("utf-8")


def download(
    content: bytes | str, filename: str, content_type: str, *, attachment: bool = True
) -> HttpResponse:
    """A file for the browser: saved under `filename`, or (not `attachment`) shown in it."""
    response = HttpResponse(content, content_type=content_type)
    response["Content-Disposition"] = content_disposition_header(attachment, filename)
    return response
