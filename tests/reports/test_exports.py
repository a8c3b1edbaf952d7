"""Exports of a plan's actions: the import template's columns, as at a moment, formula-safe."""

import csv
import datetime
import io

import pytest
from django.urls import reverse
from openpyxl import load_workbook

from actions import services
from actions.importing.writing import plan_rows
from csp_tracker.downloads import escape_cell
from reports.exports import COLUMNS
from tests.conftest import count_queries
from tests.factories import make_action, make_agency, make_measure
from tests.imports.helpers import HEADER as IMPORT_TEMPLATE  # the template, as files spell it

pytestmark = pytest.mark.django_db


def export_url(plan, fmt):
    return reverse("reports:export", args=[plan.partnership.slug, plan.slug, fmt])


def csv_rows(response) -> list[dict]:
    content = response.content.decode("utf-8")
    assert content.startswith("\ufeff")  # Excel then reads it as UTF-8
    return list(csv.DictReader(io.StringIO(content[1:])))


def xlsx_rows(response) -> tuple[list, list[dict]]:
    sheet = load_workbook(io.BytesIO(response.content)).active
    rows = list(sheet.iter_rows(values_only=True))
    return sheet, [dict(zip(rows[0], row, strict=True)) for row in rows[1:]]


def test_the_columns_start_with_the_import_templates(year):
    assert COLUMNS[: len(IMPORT_TEMPLATE)] == IMPORT_TEMPLATE
    assert COLUMNS[len(IMPORT_TEMPLATE) :] == [
        "progress_date",
        "rag",
        "measure_readings",
        "lead_as_printed",
        "support_as_printed",
    ]


def test_csv_has_one_row_per_action_with_status_and_latest_update(year, coordinator_client):
    response = coordinator_client.get(export_url(year.plan, "csv"), {"period": "q3"})
    assert response["Content-Type"] == "text/csv; charset=utf-8"
    assert response["Content-Disposition"].startswith("attachment; filename=")
    assert response["Content-Disposition"].endswith(f'-actions-{year.plan.slug}-q3.csv"')
    rows = {row["action"]: row for row in csv_rows(response)}
    assert len(rows) == 4
    video = rows["Pilot body worn video"]
    assert video["status"] == "Delayed"
    assert video["rag"] == "Red"
    assert video["progress_update"] == "Supplier failed."
    assert video["progress_date"] == "2015-11-02"
    assert video["measures"] == "10 cameras in use"
    assert video["target_date"] == "2016-03-31"
    assert video["priority"] == "Safeguarding"
    assert video["period_start"] == "2015-04-01"
    assert video["partnership"] == year.plan.partnership.name
    assert rows["Refresh the communications strategy"]["status"] == "At risk"
    assert rows["Refresh the communications strategy"]["progress_update"] == (
        "Draft strategy shared with partners."
    )
    assert rows["Produce a mapping document"]["status"] == "Not started"
    assert rows["Produce a mapping document"]["progress_update"] == ""


def test_an_export_as_at_an_earlier_period_has_the_statuses_of_then(year, coordinator_client):
    response = coordinator_client.get(export_url(year.plan, "csv"), {"period": "q1"})
    rows = {row["action"]: row for row in csv_rows(response)}
    assert rows["Pilot body worn video"]["status"] == "On track"
    assert rows["Pilot body worn video"]["progress_update"] == "Kit ordered."
    assert rows["Deliver training"]["status"] == "Not started"


def test_xlsx_has_the_same_rows(year, coordinator_client):
    response = coordinator_client.get(export_url(year.plan, "xlsx"), {"period": "q3"})
    assert response["Content-Type"] == (
        "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
    )
    assert response["Content-Disposition"].endswith('-q3.xlsx"')
    sheet, rows = xlsx_rows(response)
    assert sheet.title == "Actions"
    assert [c.value for c in sheet[1]] == COLUMNS
    by_action = {row["action"]: row for row in rows}
    assert by_action["Deliver training"]["status"] == "Completed"
    assert by_action["Deliver training"]["rag"] == "Green"


def test_dates_are_dates_and_readings_are_exported(year, coordinator_client):
    response = coordinator_client.get(export_url(year.plan, "xlsx"), {"period": "q3"})
    sheet, rows = xlsx_rows(response)
    video = next(row for row in rows if row["action"] == "Pilot body worn video")
    assert video["progress_date"] == datetime.datetime(2015, 11, 2)  # a date cell, not text
    assert video["target_date"] == datetime.datetime(2016, 3, 31)
    assert video["period_start"] == datetime.datetime(2015, 4, 1)
    assert video["measure_readings"] == "10 cameras in use: 4 (2015-11-02)"
    as_csv = csv_rows(coordinator_client.get(export_url(year.plan, "csv"), {"period": "q1"}))
    video = next(row for row in as_csv if row["action"] == "Pilot body worn video")
    assert video["progress_date"] == "2015-06-10"
    assert video["measure_readings"] == "10 cameras in use: 2 (2015-06-10)"


def test_the_lead_and_support_are_exported_as_the_plan_prints_them(client, thanet_plan):
    rows = csv_rows(client.get(export_url(thanet_plan, "csv"), {"period": "q3"}))
    by_ref = {r["action_ref"]: r for r in rows}
    assert by_ref["29"]["lead_as_printed"] == "ALL partners senior management"
    assert by_ref["29"]["lead_agency"] == ""  # the template's column names agencies only
    assert "Oasis / TDAF" in {r["lead_as_printed"] for r in rows}
    assert by_ref["25"]["support_as_printed"] == "TDC CSU ALL"


@pytest.mark.parametrize("start", ["=", "+", "-", "@", "\t", "\r"])
def test_csv_cells_that_a_spreadsheet_would_evaluate_are_quoted(start):
    assert escape_cell(f"{start}HYPERLINK(1)") == f"'{start}HYPERLINK(1)"
    assert escape_cell("Plain words") == "Plain words"


@pytest.fixture
def formula_action(year, officer, lead_agency):
    action = make_action(
        issue=year.video.issue,
        title='=HYPERLINK("http://evil.example/","Click")',
        lead_agency=lead_agency,
    )
    make_measure(action=action, text="+1 more case")
    services.record_update(
        action=action, by=officer, status="on_track", rag="green", narrative="@SUM(A1:A9)"
    )
    return action


def test_formulae_are_escaped_in_csv(formula_action, coordinator_client):
    rows = csv_rows(coordinator_client.get(export_url(formula_action.plan, "csv")))
    row = next(r for r in rows if "HYPERLINK" in r["action"])
    assert row["action"] == '\'=HYPERLINK("http://evil.example/","Click")'
    assert row["measures"] == "'+1 more case"
    assert row["progress_update"] == "'@SUM(A1:A9)"


def test_formulae_are_stored_as_text_in_xlsx(formula_action, coordinator_client):
    response = coordinator_client.get(export_url(formula_action.plan, "xlsx"))
    sheet, rows = xlsx_rows(response)
    action_column = COLUMNS.index("action") + 1
    cell = next(
        row[action_column - 1]
        for row in sheet.iter_rows(min_row=2)
        if "HYPERLINK" in str(row[action_column - 1].value)
    )
    assert cell.data_type == "s"  # text, not a formula ("f")
    assert cell.quotePrefix is True
    assert cell.value == '=HYPERLINK("http://evil.example/","Click")'  # kept exactly
    assert b"<f>" not in response.content


def test_an_unknown_format_is_not_found(year, coordinator_client):
    assert coordinator_client.get(export_url(year.plan, "json")).status_code == 404


def test_thanet_export_has_its_thirty_actions_and_their_agencies(client, thanet_plan):
    rows = csv_rows(client.get(export_url(thanet_plan, "csv"), {"period": "q3"}))
    assert len(rows) == 30
    first = rows[0]
    assert first["action_ref"] == "1"
    assert first["lead_agency"] == "KCC Early Help"
    assert first["support_agencies"] == (
        "Children's Social Services; Kent Police – Missing Persons Officer; Virtual school"
    )
    assert sum(1 for r in rows if r["status"] == "On track") == 4


def test_export_query_count_does_not_grow_with_actions(year, coordinator_client):
    url = export_url(year.plan, "xlsx")
    one = count_queries(coordinator_client, url)
    for _ in range(10):
        action = make_action(
            issue=year.mapping.issue, support_agencies=[make_agency(), make_agency()]
        )
        make_measure(action=action)
    assert count_queries(coordinator_client, url) == one


@pytest.mark.parametrize("seed", ["thanet_plan", "ashford_plan", "medway_plan"])
def test_export_writes_the_plan_as_the_import_template_does(seed, client, request):
    """The plan's own columns read back in as the plan: same cells as the template export."""
    plan = request.getfixturevalue(seed)
    exported = csv_rows(client.get(export_url(plan, "csv")))
    template = [r for r in plan_rows(plan) if r.get("action")]
    structure = IMPORT_TEMPLATE[: IMPORT_TEMPLATE.index("status")]
    as_text = [{k: escape_cell(str(r.get(k) or "")) for k in structure} for r in template]
    assert [{k: r[k] for k in structure} for r in exported] == as_text
