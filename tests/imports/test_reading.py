"""Reading files as people save them: encodings, separators, dates, Excel's ways."""

import datetime
import io
import re
import time
import zipfile

import pytest

from actions.importing import preview_file
from actions.importing.columns import join_list, split_list
from actions.importing.parsing import parse_date
from tests.imports.helpers import HEADER, csv_bytes, row, xlsx_bytes

pytestmark = pytest.mark.django_db

WORDS = "Deliver £500 of sessions – with Kent Police’s “cadets”"


def only_action(data: bytes, name: str = "f.csv"):
    preview = preview_file(data, name)
    assert preview.errors == [], preview.errors
    [item] = preview.actions
    return item, preview


@pytest.mark.parametrize("encoding", ["utf-8", "utf-8-sig", "cp1252", "utf-16"])
def test_csv_is_read_in_utf8_with_or_without_a_bom_windows_1252_and_utf16(encoding):
    data = csv_bytes([row(action=WORDS)], encoding=encoding)
    item, _ = only_action(data)
    assert item.title == WORDS


@pytest.mark.parametrize("separator", [";", "\t"])
def test_csv_separated_by_semicolons_or_tabs_is_read(separator):
    text = csv_bytes([row(action="Patrol", support_agencies="Kent Police")]).decode()
    lines = [line.replace(",", separator) for line in text.splitlines()]
    item, _ = only_action("\r\n".join(lines).encode())
    assert item.title == "Patrol"


def test_columns_may_come_in_any_order_and_in_capitals():
    header = [name.upper() for name in reversed(HEADER)]
    cells = {name.upper(): value for name, value in row(action="Patrol").items()}
    item, _ = only_action(csv_bytes([cells], header=header))
    assert item.title == "Patrol"


def test_extra_columns_are_ignored_with_a_warning_that_suggests_the_right_name():
    header = [*HEADER, "Notes", "Support Agencies"]
    data = csv_bytes([row(action="Patrol", Notes="internal")], header=header)
    _, preview = only_action(data)
    assert [str(w) for w in preview.warnings] == [
        'Row 1: the column "Notes" is not in the template and was ignored.',
        'Row 1: the column "Support Agencies" is not in the template and was ignored. '
        'Did you mean "support_agencies"?',
        "Row 2, lead_agency: is blank: the action will have no lead agency.",
    ]


@pytest.mark.parametrize(
    ("text", "day"),
    [
        ("2016-03-31", datetime.date(2016, 3, 31)),
        ("31/03/2016", datetime.date(2016, 3, 31)),
        ("1/4/2016", datetime.date(2016, 4, 1)),
        (" 2016-3-1 ", datetime.date(2016, 3, 1)),
        (datetime.date(2016, 3, 31), datetime.date(2016, 3, 31)),
    ],
)
def test_dates_are_read_in_iso_and_uk_forms(text, day):
    assert parse_date(text) == day


@pytest.mark.parametrize("text", ["31/13/2015", "2015-02-29", "03/31/2016", "31.03.2016", "TBC"])
def test_what_is_not_a_date_is_refused(text):
    assert parse_date(text) is None


def test_excel_date_cells_and_number_cells_are_read_as_dates_and_plain_numbers():
    def typed(book, sheet):
        sheet["C2"].value = datetime.datetime(2016, 4, 1)
        sheet["D2"].value = datetime.datetime(2017, 3, 31)
        sheet["G2"].value = 19
        sheet["L2"].value = datetime.date(2016, 12, 31)

    item, preview = only_action(xlsx_bytes([row(action="Patrol")], build=typed), "f.xlsx")
    assert preview.period_start == datetime.date(2016, 4, 1)
    assert item.row.action_ref == "19"
    assert item.target_date == datetime.date(2016, 12, 31)


def test_an_excel_formula_is_read_as_its_text_never_calculated_and_warned_about():
    data = xlsx_bytes([row(action='=CONCATENATE("Pat","rol")')])
    item, preview = only_action(data, "f.xlsx")
    assert item.title == '=CONCATENATE("Pat","rol")'
    assert 'Row 2, action: the cell holds the formula "=CONCATENATE' in str(preview.warnings[0])


def test_a_value_merged_down_a_column_is_read_on_each_row_with_a_warning():
    rows = [
        row(priority="Safeguarding", action_ref="1", action="One", lead_agency="KFRS"),
        row(priority=None, action_ref="2", action="Two", lead_agency="KFRS"),
        row(priority=None, action_ref="3", action="Three", lead_agency="KFRS"),
    ]
    data = xlsx_bytes(rows, build=lambda book, sheet: sheet.merge_cells("E2:E4"))
    preview = preview_file(data, "merged.xlsx")
    assert preview.errors == []
    assert [a.issue.priority.title for a in preview.actions] == ["Safeguarding"] * 3
    assert [str(w) for w in preview.warnings] == [
        "Row 2: rows 2 to 4 of column E are merged; the value was read on each of those rows."
    ]


def test_of_several_sheets_the_one_named_actions_is_read():
    def extra(book, sheet):
        book.create_sheet("Notes", 0).append(["Draft for the board"])

    item, preview = only_action(xlsx_bytes([row(action="Patrol")], build=extra), "f.xlsx")
    assert item.title == "Patrol"
    assert str(preview.warnings[0]) == 'Read the sheet "Actions"; ignored "Notes".'


def _with_sheet_xml(data: bytes, change) -> bytes:
    """The workbook with its sheet's XML changed, as other programs write it."""
    with zipfile.ZipFile(io.BytesIO(data)) as source:
        files = {name: source.read(name) for name in source.namelist()}
    name = "xl/worksheets/sheet1.xml"
    files[name] = change(files[name].decode()).encode()
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w") as target:
        for name, content in files.items():
            target.writestr(name, content)
    return out.getvalue()


def test_a_sheet_that_claims_a_million_rows_or_has_a_stray_cell_far_down_is_read_quickly():
    data = xlsx_bytes([row(action="Patrol")])
    claims = _with_sheet_xml(
        data, lambda xml: re.sub(r'<dimension ref="[^"]+"', '<dimension ref="A1:XFD1048576"', xml)
    )
    stray = _with_sheet_xml(
        data,
        lambda xml: xml.replace(
            "</sheetData>",
            '<row r="1000000"><c r="A1000000" t="inlineStr"><is><t> </t></is></c></row>'
            "</sheetData>",
        ),
    )
    for content in (claims, stray):
        started = time.monotonic()
        item, _ = only_action(content, "f.xlsx")
        assert item.title == "Patrol"
        assert time.monotonic() - started < 5


def test_blank_rows_are_skipped_and_rows_keep_the_numbers_the_spreadsheet_shows():
    text = csv_bytes([row(action="One"), {}, row(action="Two")]).decode()
    preview = preview_file(text.encode(), "gaps.csv")
    assert [a.row.number for a in preview.actions] == [2, 4]


def test_an_escaped_cell_from_an_export_is_read_back_as_the_text():
    text = csv_bytes([row(action="'=1+1", measures="'-5 cases")])
    item, _ = only_action(text)
    assert (item.title, item.row.measures) == ("=1+1", ["-5 cases"])


def test_a_semicolon_inside_a_measure_survives_a_round_trip():
    measures = ["Reduce repeats; and report", "Second"]
    assert split_list(join_list(measures)) == measures


@pytest.mark.parametrize("chunk", [7, 16, 1 << 20])
def test_merged_cells_are_found_wherever_the_xml_is_cut_in_reading(monkeypatch, chunk):
    from actions.importing import reading

    monkeypatch.setattr(reading, "XML_CHUNK", chunk)
    rows = [row(action=f"Action {n}", lead_agency="KFRS") for n in range(1, 7)]

    def merges(book, sheet):
        sheet.merge_cells("E2:E4")
        sheet.merge_cells("E5:E7")

    preview = preview_file(xlsx_bytes(rows, build=merges), "merged.xlsx")
    assert sorted(w.rows for w in preview.warnings) == [[2], [5]]


def test_control_characters_in_a_cell_are_dropped():
    data = csv_bytes([row(action="Patrol\x00 the\x07 front")], encoding="utf-16")
    item, _ = only_action(data)
    assert item.title == "Patrol the front"
