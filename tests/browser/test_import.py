"""A coordinator imports a plan in a real browser: a row-level error, the fix, the preview,
the confirmation; axe finds nothing on any of the import pages."""

import re

from playwright.sync_api import expect

from actions.models import Action
from tests.browser.conftest import assert_accessible
from tests.imports.helpers import csv_bytes, row

ROWS = [
    row(
        emerging_issue="1. Scams targeting older residents",
        action_ref="1",
        action="Brief partner staff on doorstep scams",
        lead_agency="KCC Trading Standards",
        support_agencies="Kent Police; Thanet Youth Trust (TYT)",
        measures="Briefing delivered; No. of professionals attending",
        target_date="31/03/2017",
        status="In progress",
        progress_update="First briefing held with the wardens.",
    ),
    row(
        emerging_issue="1. Scams targeting older residents",
        action_ref="2",
        action="Hold information sessions at Neighbourhood Engagement Meetings",
        lead_agency="KCC Wardens",
        target_date="31/13/2016",
    ),
]


def upload(page, rows, name="thanet-2016-17.csv"):
    page.get_by_label("Upload the plan").set_input_files(
        {"name": name, "mimeType": "text/csv", "buffer": csv_bytes(rows)}
    )
    page.get_by_role("button", name="Upload and check").click()


def test_a_coordinator_fixes_a_row_level_error_and_imports_the_plan(sign_in, site):
    page = sign_in("thanet-coordinator")
    page.goto(f"{site}/imports/")
    expect(page.get_by_role("heading", level=1)).to_have_text("Import a plan from a spreadsheet")
    page.get_by_text("What each column holds").click()
    assert_accessible(page)

    upload(page, ROWS)
    summary = page.locator(".govuk-error-summary")
    expect(summary).to_contain_text("The file has 1 problem: nothing was imported.")
    expect(summary).to_be_focused()
    problems = page.get_by_role("table", name=re.compile("Problems in thanet-2016-17.csv"))
    expect(problems).to_contain_text("Row 3, target_date")
    expect(problems).to_contain_text('"31/13/2016" is not a date.')
    assert_accessible(page)

    fixed = [ROWS[0], {**ROWS[1], "target_date": "31/12/2016"}]
    upload(page, fixed)
    expect(page).to_have_url(re.compile(r"/imports/preview/$"))
    expect(page.get_by_role("heading", level=1)).to_have_text("Check what the import will do")
    counts = page.get_by_role("table", name="What will change, in numbers")
    expect(counts.get_by_role("row", name="Actions to add")).to_contain_text("2")
    expect(page.get_by_role("table", name="Agencies to add")).to_contain_text("Thanet Youth Trust")
    expect(page.get_by_role("table", name="Progress updates to record")).to_contain_text("On track")
    assert_accessible(page)

    page.get_by_role("button", name="Confirm and import").click()
    expect(page.locator(".govuk-error-summary")).to_contain_text(
        "Confirm that the new agencies should be added"
    )
    assert_accessible(page)
    page.get_by_label("Add this agency to the list of agencies").check()
    page.get_by_role("button", name="Confirm and import").click()

    expect(page.get_by_role("heading", level=1)).to_have_text("Imported Plan 2016/17")
    expect(page.get_by_role("alert")).to_contain_text(
        "thanet-2016-17.csv was imported: 2 actions created"
    )
    assert_accessible(page)
    action = Action.objects.get(plan__title="Imported Plan 2016/17", ref="1")
    assert action.status == "on_track"
    assert action.history.first().history_user.username == "thanet-coordinator"
