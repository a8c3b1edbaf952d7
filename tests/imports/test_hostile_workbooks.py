"""Small workbooks that unpack to millions of entries are refused at once, before openpyxl
expands anything, with a message that says what to do, and nothing is written."""

import io
import time
import zipfile

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from actions.importing import preview_file
from actions.importing.reading import MAX_CELLS, MAX_MERGED_RANGES, MAX_SHARED_STRINGS
from tests.helpers import text_of
from tests.imports.helpers import database_state, row, xlsx_bytes

pytestmark = pytest.mark.django_db

SHEET = "xl/worksheets/sheet1.xml"
SHARED = "xl/sharedStrings.xml"


def _rewritten(data: bytes, changes: dict) -> bytes:
    """The workbook with some parts' XML changed (as bytes: the hostile parts are large)."""
    with zipfile.ZipFile(io.BytesIO(data)) as source:
        files = {name: source.read(name) for name in source.namelist()}
    for name, change in changes.items():
        files[name] = change(files.get(name, b""))
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED, compresslevel=9) as target:
        for name, content in files.items():
            target.writestr(name, content)
    return out.getvalue()


def merged_ranges_workbook(count: int, *, say_count: bool = True) -> bytes:
    """A one-action workbook whose sheet ends with `count` merged ranges."""
    merges = b'<mergeCell ref="A2:A3"/>' * count
    opening = b'<mergeCells count="%d">' % count if say_count else b"<mergeCells>"
    block = opening + merges + b"</mergeCells>"
    return _rewritten(
        xlsx_bytes([row(action="Patrol")]),
        {SHEET: lambda xml: xml.replace(b"</sheetData>", b"</sheetData>" + block, 1)},
    )


def shared_strings_workbook(count: int, *, say_count: bool = True) -> bytes:
    """A one-action workbook carrying `count` shared strings."""
    opening = b'<sst xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main"' + (
        b' count="%d" uniqueCount="%d">' % (count, count) if say_count else b">"
    )
    strings = opening + b"<si><t>a</t></si>" * count + b"</sst>"
    data = xlsx_bytes([row(action="Patrol")])
    content_types = (
        b'<Override PartName="/xl/sharedStrings.xml" ContentType="application/'
        b'vnd.openxmlformats-officedocument.spreadsheetml.sharedStrings+xml"/></Types>'
    )
    return _rewritten(
        data,
        {
            SHARED: lambda _: strings,
            "[Content_Types].xml": lambda xml: xml.replace(b"</Types>", content_types, 1),
        },
    )


def _refused_quickly(data: bytes) -> str:
    started = time.monotonic()
    preview = preview_file(data, "hostile.xlsx")
    elapsed = time.monotonic() - started
    assert elapsed < 2, elapsed
    assert not preview.ok
    [problem] = preview.errors
    return str(problem)


def test_two_million_merged_ranges_in_136_kb_are_refused_in_under_two_seconds():
    data = merged_ranges_workbook(2_000_000)
    assert len(data) < 250 * 1024  # the file was 136 KB
    message = _refused_quickly(data)
    assert message.startswith("The workbook has 2,000,000 merged cell ranges in one sheet;")
    assert f"up to {MAX_MERGED_RANGES:,}" in message
    assert "Unmerge the cells" in message


def test_merged_ranges_are_counted_when_the_sheet_does_not_say_how_many():
    message = _refused_quickly(merged_ranges_workbook(2_000_000, say_count=False))
    assert f"more than {MAX_MERGED_RANGES:,} merged cell ranges" in message


def test_three_million_shared_strings_in_134_kb_are_refused_in_under_two_seconds():
    data = shared_strings_workbook(3_200_000)
    assert len(data) < 250 * 1024  # the file was 134 KB
    message = _refused_quickly(data)
    assert message.startswith("The workbook has 3,200,000 different pieces of text;")
    assert "CSV UTF-8" in message


def test_shared_strings_are_counted_when_the_count_attribute_lies():
    data = shared_strings_workbook(3_200_000, say_count=False)
    message = _refused_quickly(data)
    assert f"more than {MAX_SHARED_STRINGS:,} different pieces of text" in message


def test_a_sheet_of_too_many_cells_is_refused_before_it_is_read():
    cells = b'<c r="Z1" t="inlineStr"><is><t>x</t></is></c>' * (MAX_CELLS + 10)
    data = _rewritten(
        xlsx_bytes([row(action="Patrol")]),
        {
            SHEET: lambda xml: xml.replace(
                b"</sheetData>", b'<row r="9">' + cells + b"</row></sheetData>", 1
            )
        },
    )
    message = _refused_quickly(data)
    assert f"more than {MAX_CELLS:,} cells in one sheet" in message


def test_a_few_merged_ranges_and_strings_are_read_as_before():
    data = merged_ranges_workbook(3)
    preview = preview_file(data, "ordinary.xlsx")
    assert preview.errors == []


@pytest.mark.parametrize("make", [merged_ranges_workbook, shared_strings_workbook])
def test_the_import_page_refuses_the_file_and_changes_nothing(make, thanet_client):
    before = database_state()
    data = make(2_000_000)
    response = thanet_client.post(
        reverse("actions:import"), {"file": SimpleUploadedFile("plan.xlsx", data)}
    )
    assert response.status_code == 422
    page = text_of(response)
    assert "the import reads up to" in page
    assert database_state() == before
