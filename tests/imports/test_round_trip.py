"""Export a seed plan in the template format, import it into an empty database: the same plan.

"The same" is everything the template's columns carry (see helpers.plan_in_template_terms):
partnership, title and period; priorities and emerging issues in order, with their printed
numbers; each action's number, reference, text, lead and support agencies (names and
abbreviations), measures in order, target date, status, RAG and latest progress.
"""

import io

import pytest
from openpyxl import load_workbook

from actions.importing import import_file, preview_file
from actions.importing.columns import COLUMNS
from actions.importing.writing import export_plan, plan_rows
from actions.models import Action
from tests.factories import make_user
from tests.imports.helpers import database_state, empty_database, plan_in_template_terms

pytestmark = pytest.mark.django_db

SEEDS = ["thanet_plan", "ashford_plan", "medway_plan"]


@pytest.mark.parametrize("fmt", ["csv", "xlsx"])
@pytest.mark.parametrize("seed", SEEDS)
def test_a_seed_plan_exported_then_imported_into_an_empty_database_is_the_same_plan(
    request, seed, fmt
):
    plan = request.getfixturevalue(seed)
    before = plan_in_template_terms(plan)
    data = export_plan(plan, fmt)
    empty_database()
    importer = make_user()
    name = f"{seed}.{fmt}"
    preview = preview_file(data, name)
    assert preview.errors == []
    assert preview.partnership is None and preview.plan is None  # all new: created on import
    result = import_file(data, name, by=importer, fingerprint=preview.fingerprint)
    assert plan_in_template_terms(result.plan) == before
    again = preview_file(data, name)
    assert not again.changes_anything
    state = database_state()
    import_file(data, name, by=importer)
    assert database_state() == state


@pytest.mark.parametrize("seed", SEEDS)
def test_importing_a_seed_plans_own_export_into_the_seeded_database_changes_nothing(request, seed):
    plan = request.getfixturevalue(seed)
    data = export_plan(plan, "xlsx")
    preview = preview_file(data, "plan.xlsx")
    assert preview.errors == []
    assert preview.plan == plan
    assert len(preview.unchanged) == plan.actions.count()
    assert not preview.changes_anything
    importer = make_user()
    state = database_state()
    import_file(data, "plan.xlsx", by=importer)
    assert database_state() == state


def test_medways_lettered_aims_are_exported_with_references_unique_in_the_plan(medway_plan):
    rows = [r for r in plan_rows(medway_plan) if r.get("action")]
    refs = [r["action_ref"] for r in rows]
    assert len(refs) == len(set(refs)) == medway_plan.actions.count()
    first = rows[0]
    assert first["action_ref"] == "1.1.a"
    assert first["emerging_issue"] == "1) Tackling ASB"
    second_theme = next(r for r in rows if r["priority"].startswith("Supporting Victims"))
    assert second_theme["action_ref"] == "2.1.a"
    assert second_theme["emerging_issue"] == "1) Tackling domestic abuse"


def test_medway_references_come_back_as_the_letters_the_plan_prints(medway_plan):
    data = export_plan(medway_plan, "csv")
    empty_database()
    plan = import_file(data, "medway.csv", by=make_user()).plan
    aim = Action.objects.get(plan=plan, issue__title="Tackling domestic abuse", ref="e")
    assert aim.ref_display == "e)"
    assert aim.issue.ref == "1)"
    assert aim.issue.priority.position == 2


def test_thanets_numbered_actions_and_issues_keep_their_numbers(thanet_plan):
    rows = [r for r in plan_rows(thanet_plan) if r.get("action")]
    assert [r["action_ref"] for r in rows] == [str(n) for n in range(1, 31)]
    assert rows[0]["emerging_issue"].startswith("1. Vulnerable young people")
    assert rows[-1]["emerging_issue"].startswith("12. Better data")


def test_ashfords_unnumbered_actions_are_exported_without_references(ashford_plan):
    rows = [r for r in plan_rows(ashford_plan) if r.get("action")]
    assert {r["action_ref"] for r in rows} == {""}
    assert {r["emerging_issue"][:1].isdigit() for r in rows} == {False}


def test_a_priority_without_actions_is_exported_as_a_row_of_its_own(medway_plan):
    rows = plan_rows(medway_plan)
    gang = [r for r in rows if r["priority"] == "Combating youth gang violence"]
    assert len(gang) == 1
    assert not gang[0].get("action")


def test_agencies_are_exported_with_their_abbreviations(thanet_plan):
    rows = [r for r in plan_rows(thanet_plan) if r.get("action")]
    twenty_two = next(r for r in rows if r["action_ref"] == "22")
    assert twenty_two["lead_agency"] == "Kent Fire and Rescue Service (KFRS)"


def test_the_excel_export_has_the_template_header_a_guidance_sheet_and_date_cells(thanet_plan):
    book = load_workbook(io.BytesIO(export_plan(thanet_plan, "xlsx")))
    assert book.sheetnames == ["Actions", "Guidance"]
    sheet = book["Actions"]
    assert [c.value for c in sheet[1]] == COLUMNS
    assert sheet["C2"].value.date().isoformat() == "2015-04-01"
    assert sheet.max_row == 31


def test_the_csv_export_starts_with_a_byte_order_mark_for_excel(thanet_plan):
    data = export_plan(thanet_plan, "csv")
    assert data.startswith(b"\xef\xbb\xbfpartnership,plan_title,")
    assert "Kent Police – Missing Persons Officer".encode() in data


def test_after_an_import_each_actions_status_is_that_of_its_latest_update(thanet_plan):
    data = export_plan(thanet_plan, "csv")
    empty_database()
    plan = import_file(data, "thanet.csv", by=make_user()).plan
    for action in Action.objects.filter(plan=plan):
        updates = action.updates.latest_first()
        latest_status = updates.exclude(status="").first()
        assert action.status == (latest_status.status if latest_status else "not_started")
        assert action.rag == (latest_status.rag if latest_status else "")
        latest = updates.first()
        assert action.last_update_at == (latest.created_at if latest else None)


def test_text_a_spreadsheet_would_run_is_escaped_on_export_and_read_back_as_written():
    from tests.imports.helpers import csv_bytes, row

    words = ["=1+1", "+44 1843 577000", "-5% repeat victims", "@home visits"]
    rows = [row(action_ref=str(n), action=text, measures=text) for n, text in enumerate(words)]
    plan = import_file(csv_bytes(rows), "formulas.csv", by=make_user()).plan
    exported = export_plan(plan, "csv").decode("utf-8-sig")
    for text in words:
        assert f"'{text}" in exported
    sheet = load_workbook(io.BytesIO(export_plan(plan, "xlsx")))["Actions"]
    cells = [sheet.cell(row=n, column=COLUMNS.index("action") + 1) for n in range(2, 6)]
    assert [c.value for c in cells] == words
    assert {c.data_type for c in cells} == {"s"}
    assert all(c.quotePrefix for c in cells)
    for fmt in ("csv", "xlsx"):
        assert not preview_file(export_plan(plan, fmt), f"again.{fmt}").changes_anything
