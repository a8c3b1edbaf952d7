"""From a file's bytes to a table of text cells under the template's column names.

Two formats: CSV (UTF-8 with or without a byte-order mark, UTF-16 with one, or Windows-1252;
comma, semicolon or tab separated) and Excel workbooks (.xlsx, read with openpyxl in
read-only mode without evaluating formulas). The format is told from the bytes, not the
file's name. Anything else, or anything too big, raises UnreadableFile with a plain-English
reason; nothing here touches the database.
"""

import codecs
import csv
import datetime
import io
import re
import zipfile
from dataclasses import dataclass, field
from xml.etree import ElementTree
from xml.parsers import expat

from actions.importing.columns import (
    COLUMNS,
    MAX_BYTES,
    MAX_ROWS,
    MAX_UNPACKED_BYTES,
    Problem,
    UnreadableFile,
)
from csp_tracker.downloads import unescape_cell

#: Cells read per row; a wider sheet's far columns are ignored (a guard for absurd sheets).
MAX_COLUMNS = 100
#: What a workbook may hold before openpyxl is asked to open it: a plan of MAX_ROWS rows
#: needs far fewer. Each is counted by streaming through the part's XML, stopping at the cap,
#: so a small file that unpacks to millions of entries is refused in a fraction of a second.
MAX_SHARED_STRINGS = 100_000
MAX_MERGED_RANGES = MAX_ROWS
MAX_CELLS = 150_000
#: The sheet of a workbook that holds the actions, when there are several.
SHEET_NAME = "actions"
#: The template's own second sheet, which explains the columns.
GUIDANCE_SHEET = "guidance"
REQUIRED_COLUMNS = ["partnership", "plan_title", "period_start", "period_end", "priority", "action"]


@dataclass
class Cell:
    """One cell: its text (or a date, from a spreadsheet's date cell) and how it was written."""

    value: str | datetime.date
    formula: bool = False
    error: bool = False


@dataclass
class Table:
    """The rows of the file under the template's columns, numbered as a spreadsheet shows them."""

    format: str
    columns: list[str]
    rows: list[tuple[int, dict[str, Cell]]]
    warnings: list[Problem] = field(default_factory=list)


def read_table(data: bytes) -> Table:
    """The file's rows under their template column names; UnreadableFile when it cannot be."""
    if len(data) > MAX_BYTES:
        raise UnreadableFile(
            Problem(
                f"The file is {_megabytes(len(data))}; the import takes files up to "
                f"{_megabytes(MAX_BYTES)}. Split the plan into smaller files: each one adds "
                "to the plan."
            )
        )
    if not data.strip(b" \t\r\n\x00" + codecs.BOM_UTF8):
        raise UnreadableFile(Problem("The file is empty."))
    if data.startswith(b"PK\x03\x04"):
        grid, warnings, fmt = *_read_xlsx(data), "Excel workbook"
    elif data.startswith(b"\xd0\xcf\x11\xe0"):
        raise UnreadableFile(
            Problem(
                "This is an Excel 97–2003 workbook (.xls) or a password-protected one. Save it "
                "as an Excel workbook (.xlsx) without a password, or as CSV UTF-8."
            )
        )
    elif data.startswith(b"%PDF"):
        raise UnreadableFile(
            Problem("This is a PDF. The import reads the template as CSV or Excel (.xlsx).")
        )
    else:
        grid, warnings, fmt = _read_csv(data), [], "CSV"
    return _table(grid, warnings, fmt)


def _megabytes(size: int) -> str:
    return f"{size / (1024 * 1024):.1f} MB".replace(".0 MB", " MB")


# CSV


def _decode(data: bytes) -> str:
    if data.startswith(codecs.BOM_UTF8):
        try:
            return data[len(codecs.BOM_UTF8) :].decode("utf-8")
        except UnicodeDecodeError:
            raise UnreadableFile(
                Problem("The file says it is UTF-8 but is not. Save it again as CSV UTF-8.")
            ) from None
    if data.startswith((codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)):
        try:
            return data.decode("utf-16")
        except UnicodeDecodeError:
            raise UnreadableFile(
                Problem("The file says it is UTF-16 but is not. Save it again as CSV UTF-8.")
            ) from None
    if b"\x00" in data:
        raise UnreadableFile(
            Problem(
                "This is not a CSV file or an Excel workbook. Save the template as CSV UTF-8 "
                "or Excel (.xlsx)."
            )
        )
    try:
        return data.decode("utf-8")
    except UnicodeDecodeError:
        pass
    try:
        return data.decode("cp1252")
    except UnicodeDecodeError:
        raise UnreadableFile(
            Problem(
                "The file's characters could not be read as UTF-8 or Windows-1252. Save it "
                "as CSV UTF-8."
            )
        ) from None


def _delimiter(text: str) -> str:
    """Comma, unless the header row is plainly separated by semicolons or tabs."""
    first = next((line for line in text.splitlines() if line.strip()), "")
    first = re.sub(r'"[^"]*"', "", first)
    counts = {d: first.count(d) for d in (",", ";", "\t")}
    best = max(counts, key=counts.get)
    return best if counts[best] > counts[","] else ","


def _read_csv(data: bytes) -> list[tuple[int, list[Cell]]]:
    text = _decode(data)
    if text.startswith("\ufeff"):
        text = text[1:]
    reader = csv.reader(io.StringIO(text, newline=""), delimiter=_delimiter(text), strict=True)
    grid = []
    number = 0
    try:
        for number, record in enumerate(reader, start=1):  # noqa: B007 (kept for the error)
            if any(value.strip() for value in record):
                grid.append((number, [Cell(value) for value in record[:MAX_COLUMNS]]))
                if len(grid) > MAX_ROWS + 1:
                    break
    except csv.Error as error:
        raise UnreadableFile(
            Problem(f"the file could not be read as CSV ({error}).", row=number + 1)
        ) from None
    return grid


# Excel


def _read_xlsx(data: bytes) -> tuple[list[tuple[int, list[Cell]]], list[Problem]]:
    import openpyxl
    from openpyxl.utils.exceptions import InvalidFileException

    not_a_workbook = UnreadableFile(
        Problem(
            "The file could not be opened as an Excel workbook. Save the template as Excel "
            "(.xlsx) or CSV UTF-8."
        )
    )
    try:
        archive = zipfile.ZipFile(io.BytesIO(data))
        names = set(archive.namelist())
        unpacked = sum(info.file_size for info in archive.infolist())
    except (zipfile.BadZipFile, ValueError, OSError):
        raise not_a_workbook from None
    if "xl/workbook.xml" not in names:
        if "word/document.xml" in names:
            raise UnreadableFile(
                Problem(
                    "This is a Word document. Copy the plan's table into the template "
                    "(Excel or CSV) and import that."
                )
            )
        raise not_a_workbook
    if unpacked > MAX_UNPACKED_BYTES:
        raise UnreadableFile(
            Problem(
                f"The workbook unpacks to {_megabytes(unpacked)}, more than the import reads "
                f"({_megabytes(MAX_UNPACKED_BYTES)}). Split the plan into smaller files."
            )
        )
    _check_parts(archive, names)
    try:
        book = openpyxl.load_workbook(
            io.BytesIO(data), read_only=True, data_only=False, keep_links=False
        )
    except (InvalidFileException, zipfile.BadZipFile, KeyError, ValueError, TypeError, OSError):
        raise not_a_workbook from None
    except ElementTree.ParseError:
        raise not_a_workbook from None
    try:
        sheet, warnings = _choose_sheet(book)
        sheet.reset_dimensions()  # a sheet may claim a million rows it does not have
        grid = _sheet_rows(sheet)
        merged = _merged_ranges(sheet)
    except (ElementTree.ParseError, KeyError, ValueError, TypeError, OSError, zipfile.BadZipFile):
        raise not_a_workbook from None
    finally:
        book.close()
    return _unmerge(grid, merged, warnings), warnings


#: What each capped element is, and what to do about too many, for the refusal's message.
_CAPPED = {
    "si": (
        MAX_SHARED_STRINGS,
        "different pieces of text",
        "Copy the actions into the blank template, or save them as CSV UTF-8, and import that.",
    ),
    "mergeCell": (
        MAX_MERGED_RANGES,
        "merged cell ranges in one sheet",
        "Unmerge the cells (select the sheet, then Merge and Center off) and import it again.",
    ),
    "c": (
        MAX_CELLS,
        "cells in one sheet",
        "Delete what is not the plan's actions, or split the plan into smaller files: each "
        "one adds to the plan.",
    ),
}


def _check_parts(archive: zipfile.ZipFile, names: set[str]) -> None:
    """Refuse a workbook holding more shared strings, merged ranges or cells than a plan
    needs, before anything expands them: each part's XML is streamed, never built whole."""
    parts = []
    if "xl/sharedStrings.xml" in names:
        parts.append(("xl/sharedStrings.xml", ["si"], {"sst": "si"}))
    for name in sorted(names):
        if name.startswith("xl/worksheets/") and name.endswith(".xml"):
            parts.append((name, ["mergeCell", "c"], {"mergeCells": "mergeCell"}))
    for name, tags, claims in parts:
        counted = _count(archive, name, {t: _CAPPED[t][0] for t in tags}, claims=claims)
        for tag in tags:
            cap, what, advice = _CAPPED[tag]
            if counted[tag] > cap:
                raise UnreadableFile(
                    Problem(
                        f"The workbook has {_amount(counted[tag], cap)} {what}; the import "
                        f"reads up to {cap:,}. {advice}"
                    )
                )


def _amount(count: int, cap: int) -> str:
    """The count as the message gives it: counting stopped one past the cap."""
    return f"more than {cap:,}" if count == cap + 1 else f"{count:,}"


class _Enough(Exception):
    """Counting stops: a cap is passed."""


def _count(archive, name: str, caps: dict[str, int], *, claims: dict[str, str]) -> dict:
    """How many of each element the part holds, counting no further than one past its cap.

    Expat streams the part (no tree is built) and stops at the first cap passed. An element
    named in `claims` (<sst count="3200000">, <mergeCells count="…">) announces how many
    children follow: believed when it is over the cap, so the refusal is at once.
    """
    counts = dict.fromkeys(caps, 0)

    def start(tag, attributes):
        tag = tag.rpartition(":")[2]
        if tag in counts:
            counts[tag] += 1
            if counts[tag] > caps[tag]:
                raise _Enough
        elif tag in claims:
            claimed = attributes.get("count") or attributes.get("uniqueCount") or ""
            child = claims[tag]
            if claimed.isdigit() and int(claimed) > caps[child]:
                counts[child] = int(claimed)
                raise _Enough

    parser = expat.ParserCreate()
    parser.StartElementHandler = start
    try:
        with archive.open(name) as part:
            while chunk := part.read(XML_CHUNK):
                parser.Parse(chunk, False)
            parser.Parse(b"", True)
    except _Enough:
        return counts
    except (expat.ExpatError, zipfile.BadZipFile, OSError, EOFError, ValueError):
        raise UnreadableFile(
            Problem(
                "The file could not be opened as an Excel workbook. Save the template as "
                "Excel (.xlsx) or CSV UTF-8."
            )
        ) from None
    return counts


def _choose_sheet(book):
    sheets = book.worksheets
    if len(sheets) == 1:
        return sheets[0], []
    named = [s for s in sheets if s.title.strip().lower() == SHEET_NAME]
    if named:
        others = [s.title for s in sheets if s is not named[0]]
        if [title.strip().lower() for title in others] == [GUIDANCE_SHEET]:
            return named[0], []
        listed = ", ".join(f'"{title}"' for title in others)
        return named[0], [Problem(f'Read the sheet "{named[0].title}"; ignored {listed}.')]
    titles = ", ".join(f'"{s.title}"' for s in sheets)
    raise UnreadableFile(
        Problem(
            f"The workbook has {len(sheets)} sheets ({titles}). Name the sheet that holds the "
            'actions "Actions", or save that sheet on its own.'
        )
    )


def _sheet_rows(sheet) -> list[tuple[int, list[Cell]]]:
    from openpyxl.cell.read_only import EMPTY_CELL

    width = _header_width(sheet)
    grid = []
    filler = None  # openpyxl yields one shared tuple for every row missing from the sheet
    for number, row in enumerate(sheet.iter_rows(max_col=width), start=1):
        if row is filler:
            continue
        if all(c is EMPTY_CELL for c in row):
            filler = row
            continue
        cells = [_cell(c) for c in row]
        if any(c.value != "" for c in cells):
            grid.append((number, cells))
            if len(grid) > MAX_ROWS + 1:
                break
    return grid


def _header_width(sheet) -> int:
    """How many columns to read: up to the header row's last named column."""
    for row in sheet.iter_rows(max_col=MAX_COLUMNS, values_only=True):
        named = [i for i, value in enumerate(row, start=1) if value not in (None, "")]
        if named:
            return named[-1]
    return 1


def _cell(cell) -> Cell:
    value = getattr(cell, "value", None)
    kind = getattr(cell, "data_type", None)
    if value is None:
        return Cell("")
    if kind == "f":
        return Cell(str(value), formula=True)
    if kind == "e":
        return Cell(str(value), error=True)
    if isinstance(value, datetime.datetime):
        if value.time() == datetime.time(0):
            return Cell(value.date())
        return Cell(value.isoformat(sep=" "))
    if isinstance(value, datetime.date):
        return Cell(value)
    if isinstance(value, bool):
        return Cell("TRUE" if value else "FALSE")
    if isinstance(value, float) and value.is_integer():
        return Cell(str(int(value)))
    return Cell(str(value))


#: How much of a sheet's XML is searched at a time for its merged cells.
XML_CHUNK = 1 << 20
_MERGE = re.compile(rb'<(?:\w+:)?mergeCell\s+ref="([A-Z]{1,3})(\d+):([A-Z]{1,3})(\d+)"')


def _merged_ranges(sheet) -> list[tuple[int, int, int, int]]:
    """The sheet's merged ranges (first column, first row, last column, last row).

    openpyxl's read-only sheets do not report them; they follow the cells in the sheet's XML,
    so its bytes are searched rather than parsed a second time.
    """
    from openpyxl.utils import column_index_from_string

    ranges = []
    tail = b""
    with sheet._get_source() as source:
        while chunk := source.read(XML_CHUNK):
            text, end = tail + chunk, 0
            for match in _MERGE.finditer(text):
                c1, r1, c2, r2 = (g.decode() for g in match.groups())
                ranges.append(
                    (column_index_from_string(c1), int(r1), column_index_from_string(c2), int(r2))
                )
                end = match.end()
            tail = text[max(end, len(text) - 200) :]  # a merge cut in two by the chunk
    return ranges


def _unmerge(grid, merged, warnings) -> list[tuple[int, list[Cell]]]:
    """A value merged down a column is read on each of its rows; merges across columns are
    refused, since a value cannot belong to two columns."""
    if not merged:
        return grid
    by_number = dict(grid)
    for c1, r1, c2, r2 in merged:
        if r1 not in by_number or c1 > MAX_COLUMNS:
            continue
        top = by_number[r1][c1 - 1] if c1 <= len(by_number[r1]) else Cell("")
        if c2 > c1:
            raise UnreadableFile(
                Problem(
                    "cells are merged across several columns. Unmerge them so that each "
                    "column has its own cell.",
                    row=r1,
                )
            )
        for number in range(r1 + 1, min(r2, r1 + MAX_ROWS + 1) + 1):
            cells = by_number.get(number)
            if cells is None:  # a row with nothing else in it stays blank
                continue
            while len(cells) < c1:
                cells.append(Cell(""))
            cells[c1 - 1] = top
        if r2 > r1:
            warnings.append(
                Problem(
                    f"rows {r1} to {r2} of column {_letter(c1)} are merged; the value was read "
                    "on each of those rows.",
                    row=r1,
                )
            )
    return sorted(by_number.items())


def _letter(index: int) -> str:
    from openpyxl.utils import get_column_letter

    return get_column_letter(index)


# The header


def _table(grid, warnings: list[Problem], fmt: str) -> Table:
    if not grid:
        raise UnreadableFile(Problem("The file is empty."))
    header_number, header = grid[0]
    columns = {}
    problems = []
    for index, cell in enumerate(header):
        name = _text(cell).lower()
        if not name:
            continue
        if name in COLUMNS:
            if name in columns:
                problems.append(
                    Problem(
                        f'the column "{name}" appears twice (columns {_letter(columns[name] + 1)} '
                        f"and {_letter(index + 1)}).",
                        row=header_number,
                    )
                )
            columns[name] = index
            continue
        guess = next((c for c in COLUMNS if _squash(c) == _squash(name)), None)
        hint = f' Did you mean "{guess}"?' if guess else ""
        warnings.append(
            Problem(
                f'the column "{_text(cell)}" is not in the template and was ignored.{hint}',
                row=header_number,
            )
        )
    missing = [c for c in REQUIRED_COLUMNS if c not in columns]
    if missing:
        names = ", ".join(missing)
        problems.append(
            Problem(
                f"the file has no column named {names}. The first row must hold the template's "
                "column names (download the blank template to see them).",
                row=header_number,
            )
        )
    if problems:
        raise UnreadableFile(*problems)
    rows = []
    for number, cells in grid[1:]:
        values = {
            name: _clean(cells[index]) if index < len(cells) else Cell("")
            for name, index in columns.items()
        }
        if any(c.value != "" for c in values.values()):
            rows.append((number, values))
    if not rows:
        raise UnreadableFile(
            Problem("the file has a header row but no actions under it.", row=header_number)
        )
    if len(rows) > MAX_ROWS:
        raise UnreadableFile(
            Problem(
                f"The file has more than {MAX_ROWS:,} rows; the import takes up to {MAX_ROWS:,}. "
                "Split the plan into smaller files: each one adds to the plan."
            )
        )
    return Table(format=fmt, columns=list(columns), rows=rows, warnings=warnings)


def _squash(name: str) -> str:
    return re.sub(r"[^a-z]", "", name.lower())


def _text(cell: Cell) -> str:
    return cell.value.strip() if isinstance(cell.value, str) else cell.value.isoformat()


#: Control characters no plan means (and PostgreSQL refuses NUL in text).
_CONTROL = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\x7f]")


def _clean(cell: Cell) -> Cell:
    if not isinstance(cell.value, str):
        return cell
    text = cell.value.replace("\r\n", "\n").replace("\r", "\n")
    text = _CONTROL.sub("", text).strip()
    if not cell.formula:
        text = unescape_cell(text)
    return Cell(text, formula=cell.formula, error=cell.error)
